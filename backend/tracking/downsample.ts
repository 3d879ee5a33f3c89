import type { MetricSeries } from '../store/metric-history';

export interface Downsampled extends MetricSeries {
  downsampled: boolean;
}

/**
 * Reduces a series to at most `maxPoints` for charting. The step range is cut into equal-width
 * buckets and each bucket keeps its minimum and its maximum (in step order), so spikes survive at
 * any zoom; the first and last points are always kept. Shorter series come back unchanged.
 * One pass over the columns, no per-point allocation: a million points take a few milliseconds.
 */
export function downsample(series: MetricSeries, maxPoints: number, range: { startStep?: number; endStep?: number } = {}): Downsampled {
  const s = isSortedByStep(series) ? series : sortByStep(series);
  const lo = lowerBound(s.step, range.startStep ?? -Infinity);
  const hi = upperBound(s.step, range.endStep ?? Infinity);
  const n = hi - lo;
  if (n <= maxPoints) return { step: s.step.slice(lo, hi), timestamp: s.timestamp.slice(lo, hi), value: s.value.slice(lo, hi), downsampled: false };

  const buckets = Math.max(1, Math.floor((maxPoints - 2) / 2));
  const first = s.step[lo]!;
  const width = (s.step[hi - 1]! - first) / buckets || 1;
  const keep = new Int32Array(maxPoints);
  let kept = 0;
  keep[kept++] = lo;
  let bucket = 0;
  let minI = -1;
  let maxI = -1;
  let nanI = -1;
  const flush = () => {
    if (minI >= 0) {
      const a = Math.min(minI, maxI);
      const c = Math.max(minI, maxI);
      if (a !== keep[kept - 1]) keep[kept++] = a;
      if (c !== a) keep[kept++] = c;
    } else if (nanI >= 0) keep[kept++] = nanI;
    minI = maxI = nanI = -1;
  };
  const values = s.value;
  const steps = s.step;
  for (let i = lo + 1; i < hi - 1; i++) {
    const b = Math.min(buckets - 1, Math.floor((steps[i]! - first) / width));
    if (b !== bucket) {
      flush();
      bucket = b;
    }
    const v = values[i]!;
    if (v !== v) {
      if (nanI < 0) nanI = i;
    } else {
      if (minI < 0 || v < values[minI]!) minI = i;
      if (maxI < 0 || v > values[maxI]!) maxI = i;
    }
  }
  flush();
  keep[kept++] = hi - 1;
  const out = { step: new Float64Array(kept), timestamp: new Float64Array(kept), value: new Float64Array(kept), downsampled: true };
  for (let j = 0; j < kept; j++) {
    const i = keep[j]!;
    out.step[j] = steps[i]!;
    out.timestamp[j] = s.timestamp[i]!;
    out.value[j] = values[i]!;
  }
  return out;
}

function isSortedByStep(s: MetricSeries): boolean {
  const st = s.step;
  for (let i = 1; i < st.length; i++) if (st[i]! < st[i - 1]!) return false;
  return true;
}

/** A copy ordered by step; logging order breaks ties (the rare path: steps logged out of order). */
function sortByStep(s: MetricSeries): MetricSeries {
  const order = Array.from(s.step.keys()).sort((a, b) => s.step[a]! - s.step[b]! || a - b);
  const pick = (col: Float64Array) => Float64Array.from(order, (i) => col[i]!);
  return { step: pick(s.step), timestamp: pick(s.timestamp), value: pick(s.value) };
}

/** First index whose step is >= x. */
function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose step is > x. */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
