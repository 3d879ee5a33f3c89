import type { ViewType } from '../../api/mlflow';
import type { RunClause, RunOrder } from '../../search/runs';
import type { DurableDb } from './durable-db';
import { lifecycleWhere } from './experiments';
import type { SqlParam } from './journal';
import { asParams, placeholders, sqlComparison } from './rows';

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
const TIE_BREAK = ['r.start_time DESC', 'r.run_uuid ASC'];

export interface RunSearchRequest {
  experimentIds: number[];
  viewType: ViewType;
  filter: RunClause[];
  orderBy: RunOrder[];
  limit: number;
  offset: number;
}

interface Sql {
  joins: string[];
  joinParams: SqlParam[];
  where: string[];
  whereParams: SqlParam[];
  order: string[];
}

/** `value present` for an order key: a metric's NaN counts as missing (it sorts last, like MLflow). */
const present = (entity: 'metric' | 'param' | 'tag', a: string) => (entity === 'metric' ? `${a}.value IS NOT NULL AND ${a}.is_nan = 0` : `${a}.value IS NOT NULL`);

/**
 * Runs a validated runs/search and returns the page's run keys in order.
 *
 * When the first order key is a metric, param or tag, the page is read in two parts so SQLite can
 * walk that key's (key, value) index in order and stop at the page's end, instead of sorting every
 * matching run: first the runs that have the key, then (if the page is not full) those that lack
 * it, which sort last. Other order keys become left joins with missing values last.
 */
export function searchRunKeys(db: DurableDb, req: RunSearchRequest): number[] {
  const base = filterSql(req);
  const [first, ...rest] = req.orderBy;
  if (!first || first.entity === 'attribute' || first.entity === 'dataset') {
    const sql = withOrder(base, req.orderBy);
    return select(db, 'runs r', sql, req.limit, req.offset);
  }
  const table = ENTITY_TABLE[first.entity];
  const dir = first.asc ? 'ASC' : 'DESC';
  const restSql = withOrder(base, rest);

  // Part A: runs that have the key, in index order. CROSS JOIN pins the index as the outer loop.
  const a: Sql = {
    ...restSql,
    where: [`o.key = ?`, present(first.entity, 'o'), ...restSql.where],
    whereParams: [first.key, ...restSql.whereParams],
    order: [`o.value ${dir}`, ...restSql.order],
  };
  const keys = select(db, `${table} o CROSS JOIN runs r ON r.run_key = o.run_key`, a, req.limit, req.offset);
  if (keys.length === req.limit) return keys;

  // Part B: runs without it, after all of part A.
  const countA = keys.length > 0 || req.offset === 0 ? req.offset + keys.length : count(db, `${table} o CROSS JOIN runs r ON r.run_key = o.run_key`, a);
  const b: Sql = {
    ...restSql,
    where: [`NOT EXISTS (SELECT 1 FROM ${table} o WHERE o.run_key = r.run_key AND o.key = ? AND ${present(first.entity, 'o')})`, ...restSql.where],
    whereParams: [first.key, ...restSql.whereParams],
  };
  return keys.concat(select(db, 'runs r', b, req.limit - keys.length, Math.max(0, req.offset - countA)));
}

function filterSql(req: RunSearchRequest): Sql {
  const sql: Sql = {
    joins: [],
    joinParams: [],
    where: [`r.experiment_id IN (${placeholders(req.experimentIds.length)})`, lifecycleWhere('r.lifecycle_stage', req.viewType)],
    whereParams: [...req.experimentIds],
    order: [],
  };
  req.filter.forEach((c, i) => {
    const values = asParams(c.value);
    if (c.entity === 'attribute') {
      sql.where.push(sqlComparison(ATTRIBUTE_COLUMN[c.key]!, c.op, values.length));
      sql.whereParams.push(...values);
    } else if (c.entity === 'dataset') {
      sql.where.push(`EXISTS (SELECT 1 FROM run_inputs d WHERE d.run_uuid = r.run_uuid AND ${sqlComparison(`d.${c.key}`, c.op, values.length)})`);
      sql.whereParams.push(...values);
    } else {
      const a = `f${i}`;
      const nanGuard = c.entity === 'metric' ? ` AND ${a}.is_nan = 0` : '';
      sql.joins.push(`JOIN ${ENTITY_TABLE[c.entity]} ${a} ON ${a}.run_key = r.run_key AND ${a}.key = ? AND ${sqlComparison(`${a}.value`, c.op)}${nanGuard}`);
      sql.joinParams.push(c.key, ...values);
    }
  });
  return sql;
}

function withOrder(base: Sql, orderBy: RunOrder[]): Sql {
  const sql: Sql = { ...base, joins: [...base.joins], joinParams: [...base.joinParams], order: [] };
  orderBy.forEach((o, i) => {
    const dir = o.asc ? 'ASC' : 'DESC';
    if (o.entity === 'attribute') {
      const col = ATTRIBUTE_COLUMN[o.key]!;
      sql.order.push(`${col} IS NULL`, `${col} ${dir}`);
    } else if (o.entity !== 'dataset') {
      const a = `o${i}`;
      sql.joins.push(`LEFT JOIN ${ENTITY_TABLE[o.entity]} ${a} ON ${a}.run_key = r.run_key AND ${a}.key = ?`);
      sql.joinParams.push(o.key);
      sql.order.push(`NOT (${present(o.entity, a)})`, `${a}.value ${dir}`);
    }
  });
  sql.order.push(...TIE_BREAK);
  return sql;
}

function select(db: DurableDb, from: string, sql: Sql, limit: number, offset: number): number[] {
  if (limit <= 0) return [];
  const text = `SELECT r.run_key FROM ${from} ${sql.joins.join(' ')} WHERE ${sql.where.join(' AND ')} ORDER BY ${sql.order.join(', ')} LIMIT ? OFFSET ?`;
  return db.values(text, [...sql.joinParams, ...sql.whereParams, limit, offset]).map((r) => Number(r[0]));
}

function count(db: DurableDb, from: string, sql: Sql): number {
  const text = `SELECT count(*) FROM ${from} ${sql.joins.join(' ')} WHERE ${sql.where.join(' AND ')}`;
  return Number(db.values(text, [...sql.joinParams, ...sql.whereParams])[0]![0]);
}
