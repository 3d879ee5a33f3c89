// A mergeable histogram for numeric columns too large to keep: bins of width 2^e aligned at 0, so
// any two histograms share a grid after coarsening the finer one. At most MAX_BINS bins are kept;
// when the data spreads wider, adjacent bins are merged in pairs (the width doubles).

export const MAX_BINS = 10_000;

export class AlignedHistogram {
  /** log2 of the bin width. */
  exponent = -1074;
  /** Index (floor(v / width)) of counts[0]. */
  offset = 0;
  counts = new Float64Array(0);
  total = 0;

  get width(): number {
    return 2 ** this.exponent;
  }

  static fromValues(values: ArrayLike<number>): AlignedHistogram {
    const h = new AlignedHistogram();
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (values.length === 0) return h;
    const span = max - min;
    const magnitude = Math.max(Math.abs(min), Math.abs(max), 1e-300);
    // Fine enough for the values seen so far, never finer than 2^-40 of their magnitude.
    h.exponent = span > 0 ? Math.ceil(Math.log2(span / (MAX_BINS - 1))) : Math.floor(Math.log2(magnitude)) - 40;
    while (Math.floor(max / 2 ** h.exponent) - Math.floor(min / 2 ** h.exponent) + 1 > MAX_BINS) h.exponent++;
    h.offset = Math.floor(min / h.width);
    h.counts = new Float64Array(Math.floor(max / h.width) - h.offset + 1);
    for (let i = 0; i < values.length; i++) h.add(values[i]!);
    return h;
  }

  add(v: number, count = 1): void {
    let idx = Math.floor(v / this.width);
    if (idx < this.offset || idx >= this.offset + this.counts.length) {
      this.extendTo(idx);
      idx = Math.floor(v / this.width);
    }
    this.counts[idx - this.offset]! += count;
    this.total += count;
  }

  private extendTo(idx: number): void {
    let lo = Math.min(idx, this.offset);
    let hi = Math.max(idx, this.offset + this.counts.length - 1);
    if (this.counts.length === 0) lo = hi = idx;
    while (hi - lo + 1 > MAX_BINS) {
      this.coarsen();
      lo = Math.floor(lo / 2);
      hi = Math.floor(hi / 2);
    }
    this.resize(lo, hi);
  }

  private resize(lo: number, hi: number): void {
    const next = new Float64Array(hi - lo + 1);
    if (this.counts.length) next.set(this.counts, this.offset - lo);
    this.counts = next;
    this.offset = lo;
  }

  /** Doubles the bin width, merging bins in pairs. */
  coarsen(): void {
    if (this.counts.length === 0) {
      this.exponent++;
      return;
    }
    const lo = Math.floor(this.offset / 2);
    const hi = Math.floor((this.offset + this.counts.length - 1) / 2);
    const next = new Float64Array(hi - lo + 1);
    for (let i = 0; i < this.counts.length; i++) next[Math.floor((this.offset + i) / 2) - lo]! += this.counts[i]!;
    this.counts = next;
    this.offset = lo;
    this.exponent++;
  }

  /** Adds another histogram (coarsening whichever is finer). */
  merge(other: AlignedHistogram): void {
    const o = other.clone();
    while (o.exponent < this.exponent) o.coarsen();
    while (this.exponent < o.exponent) this.coarsen();
    if (o.counts.length === 0) return;
    this.extendTo(o.offset);
    this.extendTo(o.offset + o.counts.length - 1);
    while (o.exponent < this.exponent) o.coarsen();
    for (let i = 0; i < o.counts.length; i++) this.counts[o.offset + i - this.offset]! += o.counts[i]!;
    this.total += o.total;
  }

  clone(): AlignedHistogram {
    const h = new AlignedHistogram();
    h.exponent = this.exponent;
    h.offset = this.offset;
    h.counts = this.counts.slice();
    h.total = this.total;
    return h;
  }
}

/** Two histograms on one grid: bin edges and the per-bin counts of each. */
export function commonGrid(a: AlignedHistogram, b: AlignedHistogram): { edges: Float64Array; a: Float64Array; b: Float64Array } {
  const x = a.clone();
  const y = b.clone();
  while (x.exponent < y.exponent) x.coarsen();
  while (y.exponent < x.exponent) y.coarsen();
  const lo = Math.min(x.offset, y.offset);
  const hi = Math.max(x.offset + x.counts.length, y.offset + y.counts.length);
  const ca = new Float64Array(hi - lo);
  const cb = new Float64Array(hi - lo);
  ca.set(x.counts, x.offset - lo);
  cb.set(y.counts, y.offset - lo);
  const edges = new Float64Array(hi - lo + 1);
  for (let i = 0; i <= hi - lo; i++) edges[i] = (lo + i) * x.width;
  return { edges, a: ca, b: cb };
}
