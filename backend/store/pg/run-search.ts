import type { ViewType } from '../../api/mlflow';
import type { RunClause, RunOrder } from '../../search/runs';
import type { PgDb } from './pg-db';
import { comparison, lifecycleWhere, Params } from './sql';

/** Attribute keys → columns; `nullable` columns sort missing values last explicitly. */
const ATTRIBUTE: Record<string, { column: string; nullable?: boolean }> = {
  run_id: { column: 'r.run_uuid' },
  run_name: { column: 'r.run_name' },
  user_id: { column: 'r.user_id' },
  status: { column: 'r.status' },
  artifact_uri: { column: 'r.artifact_uri' },
  lifecycle_stage: { column: 'r.lifecycle_stage' },
  start_time: { column: 'r.start_time' },
  end_time: { column: 'r.end_time', nullable: true },
  experiment_id: { column: 'r.experiment_id' },
};

const ENTITY_TABLE = { metric: 'latest_metrics', param: 'params', tag: 'tags' } as const;
/** params/tags index their values by this prefix (see schema.ts). */
const INDEXED_PREFIX = 256;

export interface RunSearchRequest {
  experimentIds: number[];
  viewType: ViewType;
  filter: RunClause[];
  orderBy: RunOrder[];
  limit: number;
  offset: number;
}

/**
 * The run ids of one page of a validated runs/search, in order. The same semantics as the sql.js
 * compiler (backend/store/sqljs/run-search.ts), written for PostgreSQL's planner:
 *  - metric/param/tag filters are inner joins on (run, key) with the comparison in the join, so the
 *    planner may start from the (key, value) index of the most selective one;
 *  - equality on params/tags also compares the indexed value prefix, so that index serves it;
 *  - order keys are left joins sorted `NULLS LAST` (NaN metrics are stored as NULL + flag, so NaN
 *    and missing values both sort last), with start_time DESC, run_uuid as the tie-break; the
 *    default order is exactly the runs_by_experiment index, so a plain listing reads one page.
 */
export async function searchRunIds(db: PgDb, req: RunSearchRequest): Promise<string[]> {
  const p = new Params();
  const joins: string[] = [];
  const where: string[] = [];

  req.orderBy.forEach((o, i) => {
    if (o.entity === 'attribute' || o.entity === 'dataset') return;
    joins.push(`LEFT JOIN ${ENTITY_TABLE[o.entity]} o${i} ON o${i}.run_uuid = r.run_uuid AND o${i}.key = ${p.add(o.key)}`);
  });
  req.filter.forEach((c, i) => {
    if (c.entity === 'attribute') {
      where.push(comparison(p, ATTRIBUTE[c.key]!.column, c.op, c.value));
    } else if (c.entity === 'dataset') {
      where.push(`EXISTS (SELECT 1 FROM run_inputs d WHERE d.run_uuid = r.run_uuid AND ${comparison(p, `d.${c.key}`, c.op, c.value)})`);
    } else {
      const a = `f${i}`;
      const conds = [`${a}.run_uuid = r.run_uuid`, `${a}.key = ${p.add(c.key)}`, comparison(p, `${a}.value`, c.op, c.value)];
      if (c.entity === 'metric') conds.push(`NOT ${a}.is_nan`);
      else if (c.op === '=') conds.push(`left(${a}.value, ${INDEXED_PREFIX}) = left(${p.add(c.value as string)}, ${INDEXED_PREFIX})`);
      joins.push(`JOIN ${ENTITY_TABLE[c.entity]} ${a} ON ${conds.join(' AND ')}`);
    }
  });
  const experiments =
    req.experimentIds.length === 1 ? `r.experiment_id = ${p.add(req.experimentIds[0]!)}` : `r.experiment_id = ANY(${p.add(req.experimentIds)}::bigint[])`;
  where.unshift(experiments, lifecycleWhere('r.lifecycle_stage', req.viewType));

  const order: string[] = [];
  req.orderBy.forEach((o, i) => {
    const dir = o.asc ? 'ASC' : 'DESC';
    if (o.entity === 'dataset') return;
    if (o.entity === 'attribute') {
      const a = ATTRIBUTE[o.key]!;
      order.push(`${a.column} ${dir}${a.nullable ? ' NULLS LAST' : ''}`);
    } else order.push(`o${i}.value ${dir} NULLS LAST`);
  });
  order.push('r.start_time DESC', 'r.run_uuid ASC');

  const sql = `SELECT r.run_uuid FROM runs r ${joins.join(' ')} WHERE ${where.join(' AND ')} ORDER BY ${order.join(', ')} LIMIT ${p.add(req.limit)} OFFSET ${p.add(req.offset)}`;
  return (await db.query<{ run_uuid: string }>(sql, p.values)).map((r) => r.run_uuid);
}
