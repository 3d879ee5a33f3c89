/** ∫|F_u − F_v|^p dx over the pooled support of two sorted samples (scipy `_cdf_distance`). */
export function cdfDistance(u: Float64Array, v: Float64Array, p: 1 | 2): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  let prev = NaN;
  let prevDiff = 0;
  while (i < u.length || j < v.length) {
    const x = j >= v.length || (i < u.length && u[i]! <= v[j]!) ? u[i]! : v[j]!;
    if (!Number.isNaN(prev)) sum += (p === 1 ? Math.abs(prevDiff) : prevDiff * prevDiff) * (x - prev);
    while (i < u.length && u[i]! <= x) i++;
    while (j < v.length && v[j]! <= x) j++;
    prevDiff = i / u.length - j / v.length;
    prev = x;
  }
  return p === 1 ? sum : Math.sqrt(sum);
}

/** Population standard deviation (ddof = 0), two-pass. */
export function populationStd(values: Float64Array): number {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return Math.sqrt(ss / values.length);
}
