/** Average ranks (1-based, ties get their mid-rank) and the sizes of the tie groups. */
export function averageRanks(values: ArrayLike<number>): { ranks: Float64Array; ties: number[] } {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  const ties: number[] = [];
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]!] === values[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = rank;
    ties.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, ties };
}

/** A sorted copy. */
export function sorted(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** Number of elements of sorted `a` that are <= v (numpy searchsorted side='right'). */
export function upperBound(a: ArrayLike<number>, v: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of elements of sorted `a` that are < v (numpy searchsorted side='left'). */
export function lowerBound(a: ArrayLike<number>, v: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Distinct values of a sorted array. */
export function uniqueSorted(a: Float64Array): Float64Array {
  if (a.length === 0) return a;
  let k = 1;
  const out = new Float64Array(a.length);
  out[0] = a[0]!;
  for (let i = 1; i < a.length; i++) if (a[i] !== a[i - 1]) out[k++] = a[i]!;
  return out.slice(0, k);
}
