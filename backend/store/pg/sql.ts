import type { ViewType } from '../../api/mlflow';
import type { PgParam } from './pg-db';

/** Collects bound parameters and hands out their `$n` placeholders, in the order SQL text is built. */
export class Params {
  readonly values: PgParam[] = [];

  add(v: PgParam): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/**
 * SQL for a validated comparator against `column` (values always travel as parameters). LIKE is
 * case-sensitive and ILIKE case-insensitive, as in MLflow.
 */
export function comparison(p: Params, column: string, op: string, value: number | string | string[]): string {
  switch (op) {
    case 'IN':
      return `${column} = ANY(${p.add(value as string[])}::text[])`;
    case 'NOT IN':
      return `NOT (${column} = ANY(${p.add(value as string[])}::text[]))`;
    case 'LIKE':
    case 'ILIKE':
      return `${column} ${op} ${p.add(value as string)}`;
    case '=':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return `${column} ${op === '!=' ? '<>' : op} ${p.add(value as string | number)}`;
    default:
      throw new Error(`unexpected comparator ${op}`);
  }
}

export const lifecycleWhere = (column: string, viewType: ViewType): string =>
  viewType === 'ALL' ? 'true' : viewType === 'DELETED_ONLY' ? `${column} = 'deleted'` : `${column} = 'active'`;

/** Experiment ids are decimal integers; anything else names no experiment. */
export const isExperimentId = (id: string): boolean => /^\d{1,15}$/.test(id);
