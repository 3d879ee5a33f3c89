/** The table's columns: fixed ones, then one per param and metric seen. Sorting and "only columns that differ". Pure. */
import type { RunRow } from './run-row';

export type ColumnKind = 'fixed' | 'param' | 'metric';

export interface Column {
  id: string;
  kind: ColumnKind;
  label: string;
  width: number;
  value(row: RunRow): string | number | undefined;
  /** Text shown in the cell. */
  text(row: RunRow): string;
}

export function formatValue(v: number | undefined): string {
  if (v === undefined) return '';
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e12) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e7) ? v.toExponential(3) : String(Number(v.toPrecision(5)));
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m ${s % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
}

const two = (n: number) => String(n).padStart(2, '0');
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

export const FIXED_COLUMNS: Column[] = [
  { id: 'name', kind: 'fixed', label: 'Run', width: 200, value: (r) => r.name.toLowerCase(), text: (r) => r.name },
  { id: 'status', kind: 'fixed', label: 'Status', width: 90, value: (r) => r.status, text: (r) => r.status.toLowerCase() },
  { id: 'start', kind: 'fixed', label: 'Started', width: 130, value: (r) => r.start, text: (r) => formatTime(r.start) },
  { id: 'duration', kind: 'fixed', label: 'Duration', width: 80, value: (r) => (r.end ? r.end - r.start : undefined), text: (r) => formatDuration(r.end ? r.end - r.start : undefined) },
  { id: 'commit', kind: 'fixed', label: 'Commit', width: 80, value: (r) => r.commit || undefined, text: (r) => r.commit.slice(0, 8) },
];

export function paramColumn(key: string): Column {
  return { id: `params.${key}`, kind: 'param', label: key, width: 110, value: (r) => numericOrText(r.params[key]), text: (r) => r.params[key] ?? '' };
}

export function metricColumn(key: string): Column {
  return { id: `metrics.${key}`, kind: 'metric', label: key, width: 110, value: (r) => r.metrics[key], text: (r) => formatValue(r.metrics[key]) };
}

function numericOrText(v: string | undefined): string | number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : v;
}

/** Every column the rows call for: fixed, params (sorted), metrics (sorted). */
export function discoverColumns(rows: Iterable<RunRow>): Column[] {
  const params = new Set<string>();
  const metrics = new Set<string>();
  for (const r of rows) {
    for (const k in r.params) params.add(k);
    for (const k in r.metrics) metrics.add(k);
  }
  return [...FIXED_COLUMNS, ...[...params].sort().map(paramColumn), ...[...metrics].sort().map(metricColumn)];
}

/** True when a param/metric column holds more than one distinct value (missing counts as a value). */
export function columnDiffers(col: Column, rows: RunRow[]): boolean {
  if (col.kind === 'fixed') return true;
  if (rows.length < 2) return false;
  const first = col.text(rows[0]!);
  for (let i = 1; i < rows.length; i++) if (col.text(rows[i]!) !== first) return true;
  return false;
}

export type SortDir = 'asc' | 'desc';

/** Sorts in place; missing values go last in both directions; ties newest first. */
export function sortRows(rows: RunRow[], col: Column, dir: SortDir): RunRow[] {
  const cmp = comparator(col, dir);
  // The server already answers newest first: a linear check saves the n·log n sort.
  let sorted = true;
  for (let i = 1; i < rows.length && sorted; i++) sorted = cmp(rows[i - 1]!, rows[i]!) <= 0;
  return sorted ? rows : rows.sort(cmp);
}

function comparator(col: Column, dir: SortDir): (a: RunRow, b: RunRow) => number {
  const sign = dir === 'asc' ? 1 : -1;
  return (a, b) => {
    const va = col.value(a);
    const vb = col.value(b);
    if (va === undefined || vb === undefined) return va === vb ? b.start - a.start : va === undefined ? 1 : -1;
    let c: number;
    if (typeof va === 'number' && typeof vb === 'number') c = Number.isNaN(va) ? (Number.isNaN(vb) ? 0 : 1) : Number.isNaN(vb) ? -1 : va - vb;
    else c = typeof va === 'number' ? -1 : typeof vb === 'number' ? 1 : va < vb ? -1 : va > vb ? 1 : 0;
    return c * sign || b.start - a.start;
  };
}

/** Where a new row goes in an already sorted array (binary search with the same order). */
export function insertionIndex(rows: RunRow[], row: RunRow, col: Column, dir: SortDir): number {
  const probe = [row];
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    probe[1] = rows[mid]!;
    const ordered = sortRows([row, rows[mid]!], col, dir);
    if (ordered[0] === row) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
