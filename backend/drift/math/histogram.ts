// numpy's histogram_bin_edges(bins="sturges") and histogram(…) on explicit edges, reproduced
// exactly: the same edges (linspace) and the same half-open bins with a closed last bin.

export interface Extent {
  min: number;
  max: number;
  count: number;
  /** numpy >= 2 forces width >= 1 for integer dtypes. */
  integerDtype: boolean;
}

/** Sturges edges for data with this extent. */
export function sturgesEdges(e: Extent): Float64Array {
  let first = e.min;
  let last = e.max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  let width = (e.max - e.min) / (Math.log2(e.count) + 1);
  let bins = 1;
  if (width) {
    if (e.integerDtype && width < 1) width = 1;
    bins = Math.ceil((last - first) / width);
  }
  return linspace(first, last, bins + 1);
}

/** Equal-width edges (numpy `histogram(a, bins=k)` without a range). */
export function equalWidthEdges(min: number, max: number, bins: number): Float64Array {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  return linspace(first, last, bins + 1);
}

export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  for (let i = 0; i < num; i++) out[i] = step === 0 ? ((i / div) * delta) + start : i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** Index of the bin of v, or -1 outside [edges[0], edges[last]]. */
export function binIndex(edges: Float64Array, v: number): number {
  const nb = edges.length - 1;
  const first = edges[0]!;
  const last = edges[nb]!;
  if (!(v >= first && v <= last)) return -1;
  if (v === last) return nb - 1;
  let i = Math.floor(((v - first) / (last - first)) * nb);
  if (i >= nb) i = nb - 1;
  if (i < 0) i = 0;
  while (i > 0 && v < edges[i]!) i--;
  while (i < nb - 1 && v >= edges[i + 1]!) i++;
  return i;
}

export function histogramCounts(values: ArrayLike<number>, edges: Float64Array): Float64Array {
  const counts = new Float64Array(edges.length - 1);
  for (let i = 0; i < values.length; i++) {
    const b = binIndex(edges, values[i]!);
    if (b >= 0) counts[b]!++;
  }
  return counts;
}
