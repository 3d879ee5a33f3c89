/**
 * Exponential moving average with TensorBoard's debiasing (the smoothing slider). Pure.
 * weight 0 returns the values unchanged; NaN/±Infinity points stay as they are and do not poison
 * the average.
 */
export function smooth(values: ArrayLike<number | null>, weight: number): (number | null)[] {
  const out: (number | null)[] = new Array(values.length);
  if (weight <= 0) {
    for (let i = 0; i < values.length; i++) out[i] = values[i]!;
    return out;
  }
  let last = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      out[i] = v ?? null;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    n++;
    out[i] = last / (1 - weight ** n);
  }
  return out;
}
