import type { ColumnSummary, ColumnType } from '../../api/data';

/** Distinct values are counted exactly up to this many per column. */
export const DISTINCT_CAP = 10_000;

type Kind = Exclude<ColumnType, 'mixed' | 'null'>;

const round = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(10)) : x);

/** Accumulates one column's type, null count, distinct values and numeric/lexical statistics in one pass. */
export class ColumnProfiler {
  private readonly kinds = new Set<Kind>();
  private nulls = 0;
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private minNum = Infinity;
  private maxNum = -Infinity;
  private minStr: string | undefined;
  private maxStr: string | undefined;
  private readonly distinct = new Set<string | number | boolean>();
  private capped = false;

  constructor(readonly name: string) {}

  addNull(): void {
    this.nulls++;
  }

  addNumber(x: number, integer: boolean): void {
    if (Number.isNaN(x)) return this.addNull();
    this.kinds.add(integer ? 'integer' : 'number');
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
    if (x < this.minNum) this.minNum = x;
    if (x > this.maxNum) this.maxNum = x;
    this.count(x);
  }

  addBoolean(b: boolean): void {
    this.kinds.add('boolean');
    this.count(b);
  }

  addText(s: string, kind: 'string' | 'date' | 'object'): void {
    this.kinds.add(kind);
    if (this.minStr === undefined || s < this.minStr) this.minStr = s;
    if (this.maxStr === undefined || s > this.maxStr) this.maxStr = s;
    this.count(s);
  }

  /** Adds a value of any JavaScript type (JSONL, Parquet). */
  addValue(v: unknown): void {
    if (v === null || v === undefined) return this.addNull();
    switch (typeof v) {
      case 'number':
        return this.addNumber(v, Number.isInteger(v));
      case 'bigint':
        return this.addNumber(Number(v), true);
      case 'boolean':
        return this.addBoolean(v);
      case 'string':
        return this.addText(v, ISO_DATE.test(v) ? 'date' : 'string');
      default:
        if (v instanceof Date) return Number.isNaN(v.getTime()) ? this.addNull() : this.addText(v.toISOString(), 'date');
        if (v instanceof Uint8Array) return this.addText(Buffer.from(v).toString('base64'), 'object');
        return this.addText(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)), 'object');
    }
  }

  summary(): ColumnSummary {
    const s: ColumnSummary = { name: this.name, type: this.type(), nulls: this.nulls };
    if (this.capped) {
      s.distinct = DISTINCT_CAP;
      s.distinct_capped = true;
    } else if (this.distinct.size > 0) s.distinct = this.distinct.size;
    if (this.n > 0 && (s.type === 'integer' || s.type === 'number')) {
      s.min = this.minNum;
      s.max = this.maxNum;
      s.mean = round(this.mean);
      s.std = round(this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : 0);
    } else if (this.minStr !== undefined && (s.type === 'string' || s.type === 'date')) {
      s.min = clip(this.minStr);
      s.max = clip(this.maxStr!);
    }
    return s;
  }

  private type(): ColumnType {
    const k = this.kinds;
    if (k.size === 0) return 'null';
    if (k.size === 1) return [...k][0]!;
    if ([...k].every((x) => x === 'integer' || x === 'number')) return 'number';
    if ([...k].every((x) => x === 'string' || x === 'date')) return 'string';
    return 'mixed';
  }

  private count(v: string | number | boolean): void {
    if (this.capped) return;
    this.distinct.add(typeof v === 'string' && v.length > 200 ? v.slice(0, 200) : v);
    if (this.distinct.size > DISTINCT_CAP) {
      this.capped = true;
      this.distinct.clear();
    }
  }
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const INTEGER = /^[-+]?\d{1,15}$/;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const NULLS = new Set(['', 'NA', 'N/A', 'null', 'NULL', 'NaN', 'nan', 'None']);

/** Adds a CSV cell, inferring its type from its text. */
export function addCsvCell(p: ColumnProfiler, cell: string | undefined): void {
  if (cell === undefined || NULLS.has(cell)) return p.addNull();
  if (INTEGER.test(cell)) return p.addNumber(Number(cell), true);
  if (NUMBER.test(cell)) return p.addNumber(Number(cell), false);
  const lower = cell.length <= 5 ? cell.toLowerCase() : '';
  if (lower === 'true' || lower === 'false') return p.addBoolean(lower === 'true');
  p.addText(cell, ISO_DATE.test(cell) ? 'date' : 'string');
}

/** Long text extremes are clipped in summaries (they live in committed pointer files). */
const clip = (s: string) => (s.length > 80 ? s.slice(0, 77) + '…' : s);
