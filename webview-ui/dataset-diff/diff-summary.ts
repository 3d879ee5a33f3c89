/** What the Dataset Diff panel shows, derived from a `cairn data diff` report. Pure. */
import type { ColumnSummary, DataDiffReport, FileChange, TabularDiff } from '../../backend/api/data';

export interface StatRow {
  column: string;
  stat: string;
  a: string;
  b: string;
}

export interface TableSection {
  path: string;
  rows?: { a?: number; b?: number; delta?: number; added?: number; removed?: number };
  schema: string[];
  stats: StatRow[];
}

export interface DiffSummary {
  title: string;
  identical: boolean;
  size?: string;
  /** For folders (or a file added/removed): one line per changed file. */
  files: { mark: string; path: string; detail: string }[];
  tables: TableSection[];
}

const short = (h: string | undefined) => (h ? h.slice(0, 12) : '(absent)');
const side = (label: string) => (label === 'workspace' ? 'workspace' : label.length === 40 ? label.slice(0, 8) : label);

export function summarizeDiff(r: DataDiffReport): DiffSummary {
  const single = r.files.length === 1 && r.files[0]!.path === r.path;
  const s: DiffSummary = {
    title: `${r.path}: ${side(r.a)} (${short(r.hash_a)}) → ${side(r.b)} (${short(r.hash_b)})`,
    identical: r.identical,
    files: single ? [] : r.files.map(fileLine),
    tables: r.files.filter((f): f is FileChange & { tabular: TabularDiff } => f.tabular !== undefined).map((f) => tableSection(f.path, f.tabular)),
  };
  if (r.size_a !== undefined || r.size_b !== undefined) s.size = `${r.size_a ?? '—'} → ${r.size_b ?? '—'} bytes`;
  return s;
}

function fileLine(f: FileChange): { mark: string; path: string; detail: string } {
  const mark = { added: '+', removed: '−', changed: '~' }[f.change];
  const detail = f.change === 'changed' ? `${f.size_a ?? '?'} → ${f.size_b ?? '?'} bytes` : f.change;
  return { mark, path: f.path, detail };
}

export function tableSection(path: string, t: TabularDiff): TableSection {
  const section: TableSection = { path, schema: t.schema.map((c) => (c.change === 'type' ? `${c.column}: type ${c.from} → ${c.to}` : `${c.change} column ${c.column}`)), stats: [] };
  if (t.rows_a !== undefined || t.rows_b !== undefined) {
    section.rows = { a: t.rows_a, b: t.rows_b, added: t.rows_added, removed: t.rows_removed };
    if (t.rows_a !== undefined && t.rows_b !== undefined) section.rows.delta = t.rows_b - t.rows_a;
  }
  for (const c of t.columns) section.stats.push(...statRows(c.column, c.a, c.b));
  return section;
}

const STATS: (keyof ColumnSummary)[] = ['type', 'nulls', 'distinct', 'min', 'max', 'mean', 'std'];

/** The statistics of a column that differ between the two versions (a column on one side only: all of them). */
export function statRows(column: string, a: ColumnSummary | undefined, b: ColumnSummary | undefined): StatRow[] {
  const out: StatRow[] = [];
  for (const stat of STATS) {
    const x = a ? fmt(a, stat) : '';
    const y = b ? fmt(b, stat) : '';
    if (x !== y) out.push({ column, stat, a: a ? x || '—' : '(no column)', b: b ? y || '—' : '(no column)' });
  }
  return out;
}

function fmt(c: ColumnSummary, stat: keyof ColumnSummary): string {
  const v = c[stat];
  if (v === undefined) return '';
  if (stat === 'distinct' && c.distinct_capped) return `>${v}`;
  if (typeof v === 'number' && !Number.isInteger(v)) return String(Number(v.toPrecision(6)));
  return String(v);
}

export const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));
