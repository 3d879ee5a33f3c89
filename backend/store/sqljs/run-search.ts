import type { ViewType } from '../../api/mlflow';
import type { RunClause, RunOrder } from '../../search/runs';
import { lifecycleWhere } from './experiments';
import type { SqlParam } from './journal';
import { asParams, placeholders, sqlComparison, type PagedQuery } from './rows';

const ATTRIBUTE_COLUMN: Record<string, string> = {
  run_id: 'r.run_uuid',
  run_name: 'r.run_name',
  user_id: 'r.user_id',
  status: 'r.status',
  artifact_uri: 'r.artifact_uri',
  lifecycle_stage: 'r.lifecycle_stage',
  start_time: 'r.start_time',
  end_time: 'r.end_time',
  experiment_id: 'r.experiment_id',
};

const ENTITY_TABLE = { metric: 'latest_metrics', param: 'params', tag: 'tags' } as const;

/**
 * Compiles a validated runs/search into one query that returns the page's run ids in order.
 * Filters on metrics, params and tags become inner joins (the planner can start from the
 * (key, value) indexes); order keys become left joins with missing values and NaN last.
 */
export function compileRunSearch(req: {
  experimentIds: number[];
  viewType: ViewType;
  filter: RunClause[];
  orderBy: RunOrder[];
  limit: number;
  offset: number;
}): PagedQuery {
  const joins: string[] = [];
  const joinParams: SqlParam[] = [];
  const where = [`r.experiment_id IN (${placeholders(req.experimentIds.length)})`, lifecycleWhere('r.lifecycle_stage', req.viewType)];
  const whereParams: SqlParam[] = [...req.experimentIds];

  req.filter.forEach((c, i) => {
    if (c.entity === 'attribute') {
      where.push(sqlComparison(ATTRIBUTE_COLUMN[c.key]!, c.op, asParams(c.value).length));
      whereParams.push(...asParams(c.value));
    } else if (c.entity === 'dataset') {
      const column = c.key === 'context' ? 'd.context' : `d.${c.key}`;
      where.push(`EXISTS (SELECT 1 FROM run_inputs d WHERE d.run_uuid = r.run_uuid AND ${sqlComparison(column, c.op, asParams(c.value).length)})`);
      whereParams.push(...asParams(c.value));
    } else {
      const a = `f${i}`;
      const nanGuard = c.entity === 'metric' ? ` AND ${a}.is_nan = 0` : '';
      joins.push(`JOIN ${ENTITY_TABLE[c.entity]} ${a} ON ${a}.run_uuid = r.run_uuid AND ${a}.key = ? AND ${sqlComparison(`${a}.value`, c.op)}${nanGuard}`);
      joinParams.push(c.key, ...asParams(c.value));
    }
  });

  const order: string[] = [];
  req.orderBy.forEach((o, i) => {
    const dir = o.asc ? 'ASC' : 'DESC';
    if (o.entity === 'attribute') {
      const col = ATTRIBUTE_COLUMN[o.key]!;
      order.push(`${col} IS NULL`, `${col} ${dir}`);
      return;
    }
    if (o.entity === 'dataset') return;
    const a = `o${i}`;
    joins.push(`LEFT JOIN ${ENTITY_TABLE[o.entity]} ${a} ON ${a}.run_uuid = r.run_uuid AND ${a}.key = ?`);
    joinParams.push(o.key);
    const missing = o.entity === 'metric' ? `(${a}.value IS NULL OR ${a}.is_nan = 1)` : `${a}.value IS NULL`;
    order.push(missing, `${a}.value ${dir}`);
  });
  order.push('r.start_time DESC', 'r.run_uuid ASC');

  return {
    sql: `SELECT r.run_uuid FROM runs r ${joins.join(' ')} WHERE ${where.join(' AND ')} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`,
    params: [...joinParams, ...whereParams, req.limit, req.offset],
  };
}
