import type { SqlValue } from 'sql.js';
import type { SqlParam } from './journal';

/** Narrowing helpers for values read back from sql.js. */
export const str = (v: SqlValue | undefined): string => (v === null || v === undefined ? '' : String(v));
export const num = (v: SqlValue | undefined): number => (v === null || v === undefined ? 0 : Number(v));
export const optNum = (v: SqlValue | undefined): number | undefined => (v === null || v === undefined ? undefined : Number(v));

/** `?, ?, ?` for an IN list of `n` values. */
export const placeholders = (n: number): string => new Array(n).fill('?').join(', ');

/** SQL operator text for a validated comparator (values always travel as bound parameters). */
export function sqlComparison(column: string, op: string, paramCount = 1): string {
  switch (op) {
    case 'ILIKE':
      return `lower(${column}) LIKE lower(?)`;
    case 'IN':
      return `${column} IN (${placeholders(paramCount)})`;
    case 'NOT IN':
      return `${column} NOT IN (${placeholders(paramCount)})`;
    default:
      return `${column} ${op} ?`;
  }
}

export const asParams = (v: number | string | string[]): SqlParam[] => (Array.isArray(v) ? v : [v]);

export interface PagedQuery {
  sql: string;
  params: SqlParam[];
}
