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
type KeyEntity = keyof typeof ENTITY_TABLE;
/** params/tags index their values by this many leading characters (see schema.ts). */
const INDEXED_PREFIX = 256;
const TIE_BREAK = ['r.start_time DESC', 'r.run_uuid ASC'];

export interface RunSearchRequest {
  experimentIds: number[];
  viewType: ViewType;
  filter: RunClause[];
  orderBy: RunOrder[];
  limit: number;
  offset: number;
}

interface Query {
  from: string;
  joins: string[];
  where: string[];
  order: string[];
}

/**
 * The run ids of one page of a validated runs/search, in order: the semantics of the sql.js store
 * (backend/store/sqljs/run-search.ts), shaped for PostgreSQL's planner.
 *
 * - Metric/param/tag filters are inner joins on (run, key) with the comparison in the join, so the
 *   planner may start from the (key, value) index of the most selective one. Equality on params
 *   and tags compares the indexed value prefix (and, for long values, the whole value).
 * - When the first order key is a metric, param or tag, the page is read in two parts so the
 *   (key, value) index is walked in order and the scan stops at the page's end instead of sorting
 *   every run: first the runs that have the key (NaN metrics are stored as NULL and count as
 *   missing), then, if the page is not full, those that lack it, which sort last.
 * - Other order keys are left joins sorted NULLS LAST; ties break by start_time DESC, run_uuid —
 *   for the default order exactly the runs_by_experiment index, so a plain listing reads one page.
 */
export async function searchRunIds(db: PgDb, req: RunSearchRequest): Promise<string[]> {
  const [first, ...rest] = req.orderBy;
  if (!first || first.entity === 'attribute' || first.entity === 'dataset') {
    const p = new Params();
    return select(db, p, withOrder(p, filterQuery(p, req, 'runs r'), req.orderBy), req.limit, req.offset);
  }
  const table = ENTITY_TABLE[first.entity];
  const dir = first.asc ? 'ASC' : 'DESC';

  // Filters on the order key itself become conditions on the index walk instead of another join;
  // they also mean no run lacking the key can match.
  const onKey = req.filter.filter((c) => c.entity === first.entity && c.key === first.key);
  const others = { ...req, filter: req.filter.filter((c) => !onKey.includes(c)) };

  // Part A: runs that have the key, in the order of its (key, value) index.
  const pa = new Params();
  const a = withOrder(pa, filterQuery(pa, others, `${table} o JOIN runs r ON r.run_key = o.run_key`), rest);
  a.where.unshift(`o.key = ${pa.add(first.key)}`, 'o.value IS NOT NULL', ...onKey.map((c) => valueCondition(pa, 'o', c)));
  a.order.unshift(...valueOrder(first.entity, 'o', dir));
  const ids = await select(db, pa, a, req.limit, req.offset);
  if (ids.length === req.limit || onKey.length > 0) return ids;

  // Part B: runs without it, after all of part A.
  const countA = ids.length > 0 || req.offset === 0 ? req.offset + ids.length : await count(db, pa, a);
  const pb = new Params();
  const b = withOrder(pb, filterQuery(pb, req, 'runs r'), rest);
  b.where.unshift(`NOT EXISTS (SELECT 1 FROM ${table} o WHERE o.run_key = r.run_key AND o.key = ${pb.add(first.key)} AND o.value IS NOT NULL)`);
  return ids.concat(await select(db, pb, b, req.limit - ids.length, Math.max(0, req.offset - countA)));
}

/** Sorting by a param/tag value: its indexed prefix first (served by the index), then the whole value. */
const valueOrder = (entity: KeyEntity, alias: string, dir: string): string[] =>
  entity === 'metric' ? [`${alias}.value ${dir}`] : [`left(${alias}.value, ${INDEXED_PREFIX}) ${dir}`, `${alias}.value ${dir}`];

function filterQuery(p: Params, req: RunSearchRequest, from: string): Query {
  const q: Query = { from, joins: [], where: [], order: [] };
  req.filter.forEach((c, i) => {
    if (c.entity === 'attribute') {
      q.where.push(comparison(p, ATTRIBUTE[c.key]!.column, c.op, c.value));
    } else if (c.entity === 'dataset') {
      q.where.push(`EXISTS (SELECT 1 FROM run_inputs d WHERE d.run_uuid = r.run_uuid AND ${comparison(p, `d.${c.key}`, c.op, c.value)})`);
    } else {
      const a = `f${i}`;
      q.joins.push(`JOIN ${ENTITY_TABLE[c.entity]} ${a} ON ${a}.run_key = r.run_key AND ${a}.key = ${p.add(c.key)} AND ${valueCondition(p, a, c)}`);
    }
  });
  const experiments =
    req.experimentIds.length === 1 ? `r.experiment_id = ${p.add(req.experimentIds[0]!)}` : `r.experiment_id = ANY(${p.add(req.experimentIds)}::bigint[])`;
  q.where.push(experiments, lifecycleWhere('r.lifecycle_stage', req.viewType));
  return q;
}

/** A metric/param/tag clause on the value column of `alias` (a row of that key). */
function valueCondition(p: Params, alias: string, c: RunClause): string {
  if (c.entity === 'metric') return `${comparison(p, `${alias}.value`, c.op, c.value)} AND ${alias}.value IS NOT NULL`;
  if (c.op === '=') return prefixEquality(p, alias, c.value as string).join(' AND ');
  return comparison(p, `${alias}.value`, c.op, c.value);
}

/**
 * `value = v` through the (key, left(value, 256)) index. A value shorter than the prefix equals
 * the prefix comparison on its own, which also keeps the planner's row estimate (taken from the
 * index expression's statistics) undistorted by a second, redundant condition.
 */
function prefixEquality(p: Params, alias: string, value: string): string[] {
  const prefix = `left(${alias}.value, ${INDEXED_PREFIX}) = left(${p.add(value)}, ${INDEXED_PREFIX})`;
  return [...value].length < INDEXED_PREFIX ? [prefix] : [prefix, `${alias}.value = ${p.add(value)}`];
}

function withOrder(p: Params, base: Query, orderBy: RunOrder[]): Query {
  const q: Query = { ...base, joins: [...base.joins], where: [...base.where], order: [] };
  orderBy.forEach((o, i) => {
    const dir = o.asc ? 'ASC' : 'DESC';
    if (o.entity === 'dataset') return;
    if (o.entity === 'attribute') {
      const a = ATTRIBUTE[o.key]!;
      q.order.push(`${a.column} ${dir}${a.nullable ? ' NULLS LAST' : ''}`);
      return;
    }
    q.joins.push(`LEFT JOIN ${ENTITY_TABLE[o.entity]} o${i} ON o${i}.run_key = r.run_key AND o${i}.key = ${p.add(o.key)}`);
    q.order.push(`o${i}.value ${dir} NULLS LAST`);
  });
  q.order.push(...TIE_BREAK);
  return q;
}

async function select(db: PgDb, p: Params, q: Query, limit: number, offset: number): Promise<string[]> {
  if (limit <= 0) return [];
  const sql = `SELECT r.run_uuid FROM ${q.from} ${q.joins.join(' ')} WHERE ${q.where.join(' AND ')} ORDER BY ${q.order.join(', ')} LIMIT ${limit} OFFSET ${offset}`;
  return (await db.query<{ run_uuid: string }>(sql, p.values)).map((r) => r.run_uuid);
}

async function count(db: PgDb, p: Params, q: Query): Promise<number> {
  const sql = `SELECT count(*) AS n FROM ${q.from} ${q.joins.join(' ')} WHERE ${q.where.join(' AND ')}`;
  return Number((await db.one<{ n: number }>(sql, p.values))!.n);
}
