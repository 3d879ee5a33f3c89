// How a raw cell reads, with pandas' rules for CSV text: its default NA strings, numbers (ints
// without a decimal point), True/False, and ISO dates (which Cairn types as datetime).

export type Cell =
  | { kind: 'missing' }
  | { kind: 'number'; value: number; integer: boolean }
  | { kind: 'bool'; value: boolean }
  | { kind: 'date'; text: string }
  | { kind: 'string'; value: string };

const NA = new Set(['', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null']);
const INT = /^\s*[-+]?\d+\s*$/;
const FLOAT = /^\s*[-+]?(\d+\.?\d*(e[-+]?\d+)?|\.\d+(e[-+]?\d+)?|inf(inity)?)\s*$/i;
const TRUE = new Set(['True', 'TRUE', 'true']);
const FALSE = new Set(['False', 'FALSE', 'false']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const MISSING: Cell = { kind: 'missing' };

export function isNaText(s: string): boolean {
  return NA.has(s);
}

export function readTextCell(s: string): Cell {
  if (NA.has(s)) return MISSING;
  if (INT.test(s)) return { kind: 'number', value: Number(s), integer: true };
  if (FLOAT.test(s)) {
    const t = s.trim().toLowerCase().replace(/^\+/, '');
    const value = t === 'inf' || t === 'infinity' ? Infinity : t === '-inf' || t === '-infinity' ? -Infinity : Number(s);
    return { kind: 'number', value, integer: false };
  }
  if (TRUE.has(s)) return { kind: 'bool', value: true };
  if (FALSE.has(s)) return { kind: 'bool', value: false };
  if (ISO_DATE.test(s)) return { kind: 'date', text: s };
  return { kind: 'string', value: s };
}

export function readValueCell(v: unknown): Cell {
  if (v === null || v === undefined) return MISSING;
  if (typeof v === 'number') return Number.isNaN(v) ? MISSING : { kind: 'number', value: v, integer: Number.isInteger(v) };
  if (typeof v === 'bigint') return { kind: 'number', value: Number(v), integer: true };
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? MISSING : { kind: 'date', text: v.toISOString() };
  if (typeof v === 'string') return ISO_DATE.test(v) ? { kind: 'date', text: v } : { kind: 'string', value: v };
  return { kind: 'string', value: JSON.stringify(v) };
}
