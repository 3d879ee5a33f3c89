// One side of one column, accumulated in a single pass with bounded memory: every value while
// there are at most `exactLimit`, then exact counts (few distinct values), streaming moments, a
// mergeable fine histogram and a uniform sample (reservoir) of `exactLimit` values.
import type { CategoryKey, SideSketch } from '../column-pair';
import { AlignedHistogram } from '../sketch/aligned-histogram';

/** Distinct values tracked exactly per side (enough for typing, binning and count-based tests). */
export const DISTINCT_CAP = 1000;
/** Categorical columns with more distinct values than this are not tested ("unknown" type). */
export const CATEGORY_CAP = 100_000;

/** A tiny deterministic PRNG for the reservoir (so reports are reproducible). */
class SplitMix {
  constructor(private s: number) {}
  next(): number {
    this.s = (this.s + 0x9e3779b9) | 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  }
}

export class NumericAccumulator {
  private buf = new Float64Array(1024);
  private len = 0;
  private seen = 0;
  mean = 0;
  m2 = 0;
  min = Infinity;
  max = -Infinity;
  missing = 0;
  infinite = 0;
  integerDtype = true;
  private distinct: Map<number, number> | undefined = new Map();
  private hist: AlignedHistogram | undefined;
  private readonly rng = new SplitMix(0x5eed);

  constructor(private readonly exactLimit: number) {}

  addMissing(n = 1): void {
    this.missing += n;
    if (n > 0) this.integerDtype = false;
  }

  add(v: number, integer: boolean): void {
    if (!Number.isFinite(v)) {
      this.infinite++;
      this.integerDtype = false;
      return;
    }
    if (!integer) this.integerDtype = false;
    this.seen++;
    const d = v - this.mean;
    this.mean += d / this.seen;
    this.m2 += d * (v - this.mean);
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    if (this.distinct) {
      this.distinct.set(v, (this.distinct.get(v) ?? 0) + 1);
      if (this.distinct.size > DISTINCT_CAP) this.distinct = undefined;
    }
    if (this.hist) {
      this.hist.add(v);
      // reservoir sampling (Algorithm R)
      const j = Math.floor(this.rng.next() * this.seen);
      if (j < this.exactLimit) this.buf[j] = v;
      return;
    }
    if (this.len === this.buf.length) {
      const next = new Float64Array(Math.min(this.buf.length * 2, Math.max(this.exactLimit, 1024)));
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.len++] = v;
    if (this.len === this.exactLimit) this.hist = AlignedHistogram.fromValues(this.buf.subarray(0, this.len));
  }

  /** Finite values kept (all of them, or the sample), in row order while exact. */
  values(): Float64Array {
    return this.buf.subarray(0, this.len);
  }

  get count(): number {
    return this.seen;
  }

  get sketched(): boolean {
    return this.seen > this.exactLimit;
  }

  distinctCounts(): Map<number, number> | undefined {
    return this.distinct;
  }

  sketch(): SideSketch {
    const counts = this.distinct as Map<CategoryKey, number> | undefined;
    return {
      count: this.seen,
      counts,
      distinctAtLeast: counts ? counts.size : DISTINCT_CAP + 1,
      numeric: { hist: this.hist ?? AlignedHistogram.fromValues(this.values()), mean: this.mean, m2: this.m2, min: this.min, max: this.max },
    };
  }
}

export class CategoricalAccumulator {
  readonly counts = new Map<CategoryKey, number>();
  private codes: CategoryKey[] = [];
  private seen = 0;
  missing = 0;
  overflow = false;
  private readonly rng = new SplitMix(0xca7);

  constructor(private readonly exactLimit: number) {}

  addMissing(n = 1): void {
    this.missing += n;
  }

  add(k: CategoryKey): void {
    this.seen++;
    if (!this.overflow) {
      this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
      if (this.counts.size > CATEGORY_CAP) this.overflow = true;
    }
    if (this.codes.length < this.exactLimit) this.codes.push(k);
    else {
      const j = Math.floor(this.rng.next() * this.seen);
      if (j < this.exactLimit) this.codes[j] = k;
    }
  }

  get count(): number {
    return this.seen;
  }

  get sketched(): boolean {
    return this.seen > this.exactLimit;
  }

  values(): CategoryKey[] {
    return this.codes;
  }

  sketch(): SideSketch {
    return { count: this.seen, counts: this.counts, distinctAtLeast: this.counts.size };
  }
}
