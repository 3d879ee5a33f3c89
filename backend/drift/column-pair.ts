// The cleaned reference and current values of one column, as every stat test sees them, with the
// derived views (sorted values, category counts) computed once and shared between tests.
import { sorted, uniqueSorted } from './math/ranks';

export type ColumnType = 'num' | 'cat';
export type CategoryKey = string | number | boolean;

export type Sample =
  | { kind: 'num'; values: Float64Array; integerDtype: boolean }
  | { kind: 'cat'; values: CategoryKey[] };

export interface CategoryCounts {
  keys: CategoryKey[];
  ref: Float64Array;
  cur: Float64Array;
}

/** Python-like total order for category keys: booleans, then numbers, then strings. */
export function compareKeys(a: CategoryKey, b: CategoryKey): number {
  const ta = typeRank(a);
  const tb = typeRank(b);
  if (ta !== tb) return ta - tb;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return Number(a) - Number(b);
}

function typeRank(k: CategoryKey): number {
  return typeof k === 'boolean' ? 0 : typeof k === 'number' ? 1 : 2;
}

function countInto(values: ArrayLike<CategoryKey>, into: Map<CategoryKey, number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    into.set(v, (into.get(v) ?? 0) + 1);
  }
}

export class ColumnPair {
  private memo = new Map<string, unknown>();

  constructor(
    readonly column: string,
    readonly type: ColumnType,
    readonly ref: Sample,
    readonly cur: Sample,
  ) {}

  get n(): number {
    return this.ref.values.length;
  }
  get m(): number {
    return this.cur.values.length;
  }

  private once<T>(key: string, f: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, f());
    return this.memo.get(key) as T;
  }

  /** Numeric values (a numerical column, or a categorical column whose keys are all numbers). */
  numbers(side: 'ref' | 'cur'): Float64Array {
    return this.once(`num:${side}`, () => {
      const s = this[side];
      if (s.kind === 'num') return s.values;
      const out = new Float64Array(s.values.length);
      for (let i = 0; i < out.length; i++) {
        const v = s.values[i];
        if (typeof v !== 'number') throw new TypeError(`column '${this.column}' holds non-numeric values`);
        out[i] = v;
      }
      return out;
    });
  }

  sortedNumbers(side: 'ref' | 'cur'): Float64Array {
    return this.once(`sorted:${side}`, () => sorted(this.numbers(side)));
  }

  integerDtype(): boolean {
    return this.ref.kind === 'num' && this.cur.kind === 'num' && this.ref.integerDtype && this.cur.integerDtype;
  }

  /** Values as category keys (numbers stay numbers). */
  keys(side: 'ref' | 'cur'): ArrayLike<CategoryKey> {
    return this[side].values as ArrayLike<CategoryKey>;
  }

  /** Counts per distinct value over the union of both sides, keys in a canonical order. */
  counts(): CategoryCounts {
    return this.once('counts', () => {
      const r = new Map<CategoryKey, number>();
      const c = new Map<CategoryKey, number>();
      countInto(this.keys('ref'), r);
      countInto(this.keys('cur'), c);
      const keys = [...new Set([...r.keys(), ...c.keys()])].sort(compareKeys);
      return {
        keys,
        ref: Float64Array.from(keys, (k) => r.get(k) ?? 0),
        cur: Float64Array.from(keys, (k) => c.get(k) ?? 0),
      };
    });
  }

  uniqueCount(side: 'ref' | 'cur' | 'both'): number {
    return this.once(`nunique:${side}`, () => {
      const { ref, cur } = this.counts();
      let k = 0;
      for (let i = 0; i < ref.length; i++) {
        if (side === 'ref' ? ref[i]! > 0 : side === 'cur' ? cur[i]! > 0 : true) k++;
      }
      return k;
    });
  }

  /** Distinct numeric values of both sides, sorted. */
  uniqueNumbers(): Float64Array {
    return this.once('uniqueNumbers', () => {
      const all = new Float64Array(this.n + this.m);
      all.set(this.numbers('ref'));
      all.set(this.numbers('cur'), this.n);
      return uniqueSorted(all.sort());
    });
  }
}
