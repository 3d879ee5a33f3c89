// The cleaned reference and current values of one column, as every stat test sees them, with the
// derived views (sorted values, category counts) computed once and shared between tests.
import { binIndex, histogramCounts } from './math/histogram';
import { sorted, uniqueSorted } from './math/ranks';
import type { AlignedHistogram } from './sketch/aligned-histogram';

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

/** What is known exactly about one side of a column that was too large to keep. */
export interface SideSketch {
  count: number;
  /** Exact counts per distinct value, when there are few enough distinct values. */
  counts?: Map<CategoryKey, number>;
  /** At least this many distinct values (when `counts` is absent). */
  distinctAtLeast: number;
  numeric?: { hist: AlignedHistogram; mean: number; m2: number; min: number; max: number };
}

export interface PairSketch {
  ref: SideSketch;
  cur: SideSketch;
}

/** Distinct values in the union of two sorted arrays. */
function distinctSorted(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let k = 0;
  let last = NaN;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (v !== last) k++;
    last = v;
  }
  return k;
}

export class ColumnPair {
  private memo = new Map<string, unknown>();
  /** How the chosen test's score was approximated, if it was ('histogram', 'sample'). */
  readonly approximations = new Set<string>();

  /**
   * `ref`/`cur` hold every cleaned value, or — when `sketch` is given — a uniform sample of them,
   * with `sketch` holding the exact counts, moments and a fine histogram of all values.
   */
  constructor(
    readonly column: string,
    readonly type: ColumnType,
    readonly ref: Sample,
    readonly cur: Sample,
    readonly sketch?: PairSketch,
  ) {}

  get n(): number {
    return this.sketch ? this.sketch.ref.count : this.ref.values.length;
  }
  get m(): number {
    return this.sketch ? this.sketch.cur.count : this.cur.values.length;
  }

  /** Exact counts are known for every value (always true unless sketched with many distinct values). */
  hasExactCounts(): boolean {
    return !this.sketch || (!!this.sketch.ref.counts && !!this.sketch.cur.counts);
  }

  /** Histograms of all values, when the column is sketched and has many distinct values. */
  histograms(): { ref: AlignedHistogram; cur: AlignedHistogram } | undefined {
    if (this.hasExactCounts() || !this.sketch?.ref.numeric || !this.sketch.cur.numeric) return undefined;
    this.approximations.add('histogram');
    return { ref: this.sketch.ref.numeric.hist, cur: this.sketch.cur.numeric.hist };
  }

  private sampled(): void {
    if (this.sketch) this.approximations.add('sample');
  }

  /** Counts of all values per bin of `edges` (exact, or from the fine histogram). */
  binCounts(side: 'ref' | 'cur', edges: Float64Array, rebin: (h: AlignedHistogram, e: Float64Array) => Float64Array): Float64Array {
    const s = this.sketch?.[side];
    if (!s) return histogramCounts(this.numbers(side), edges);
    if (s.counts) {
      const keys = [...s.counts.keys()] as number[];
      const weights = keys.map((k) => s.counts!.get(k)!);
      const out = new Float64Array(edges.length - 1);
      keys.forEach((k, i) => {
        const b = binIndex(edges, k);
        if (b >= 0) out[b]! += weights[i]!;
      });
      return out;
    }
    this.approximations.add('histogram');
    return rebin(s.numeric!.hist, edges);
  }

  /** min, max over both sides (all values). */
  extent(): { min: number; max: number } {
    if (this.sketch?.ref.numeric && this.sketch.cur.numeric) {
      return { min: Math.min(this.sketch.ref.numeric.min, this.sketch.cur.numeric.min), max: Math.max(this.sketch.ref.numeric.max, this.sketch.cur.numeric.max) };
    }
    const r = this.sortedNumbers('ref');
    const c = this.sortedNumbers('cur');
    return { min: Math.min(r[0]!, c[0]!), max: Math.max(r[r.length - 1]!, c[c.length - 1]!) };
  }

  /** Mean and variance (ddof 0) of all values of one side. */
  moments(side: 'ref' | 'cur'): { count: number; mean: number; variance: number } {
    const s = this.sketch?.[side]?.numeric;
    if (s) return { count: this.sketch![side].count, mean: s.mean, variance: s.m2 / this.sketch![side].count };
    const x = this.numbers(side);
    let mean = 0;
    for (const v of x) mean += v;
    mean /= x.length;
    let ss = 0;
    for (const v of x) ss += (v - mean) * (v - mean);
    return { count: x.length, mean, variance: ss / x.length };
  }

  private once<T>(key: string, f: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, f());
    return this.memo.get(key) as T;
  }

  /** Numeric values (a numerical column, or a categorical column whose keys are all numbers). */
  numbers(side: 'ref' | 'cur'): Float64Array {
    this.sampled();
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
    this.sampled();
    return this[side].values as ArrayLike<CategoryKey>;
  }

  /** Counts per distinct value over the union of both sides, keys in a canonical order. */
  counts(): CategoryCounts {
    return this.once('counts', () => {
      let r = new Map<CategoryKey, number>();
      let c = new Map<CategoryKey, number>();
      if (this.sketch?.ref.counts && this.sketch.cur.counts) {
        r = this.sketch.ref.counts;
        c = this.sketch.cur.counts;
      } else {
        countInto(this.keys('ref'), r);
        countInto(this.keys('cur'), c);
      }
      const keys = [...new Set([...r.keys(), ...c.keys()])].sort(compareKeys);
      return {
        keys,
        ref: Float64Array.from(keys, (k) => r.get(k) ?? 0),
        cur: Float64Array.from(keys, (k) => c.get(k) ?? 0),
      };
    });
  }

  uniqueCount(side: 'ref' | 'cur' | 'both'): number {
    if (!this.hasExactCounts()) {
      const s = this.sketch!;
      return side === 'both' ? Math.max(s.ref.counts?.size ?? s.ref.distinctAtLeast, s.cur.counts?.size ?? s.cur.distinctAtLeast) : (s[side].counts?.size ?? s[side].distinctAtLeast);
    }
    if (!this.sketch && this.ref.kind === 'num' && this.cur.kind === 'num') {
      // numeric: count distinct values on the sorted arrays (no hashing of every value)
      return this.once(`nunique:${side}`, () => (side === 'both' ? distinctSorted(this.sortedNumbers('ref'), this.sortedNumbers('cur')) : distinctSorted(this.sortedNumbers(side), new Float64Array(0))));
    }
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
    if (this.sketch && this.hasExactCounts()) return Float64Array.from(this.counts().keys as number[]).sort();
    return this.once('uniqueNumbers', () => {
      const all = new Float64Array(this.n + this.m);
      all.set(this.numbers('ref'));
      all.set(this.numbers('cur'), this.n);
      return uniqueSorted(all.sort());
    });
  }
}
