import type { MetricSeries } from '../store/metric-history';

export interface Downsampled extends MetricSeries {
  downsampled: boolean;
}

/**
 * Reduces a series to at most `maxPoints` for charting. The step range is cut into equal-width
 * buckets and each bucket keeps its minimum and its maximum (in step order), so spikes survive at
 * any zoom; the first and last points are always kept. Shorter series come back unchanged.
 */
export function downsample(series: MetricSeries, maxPoints: number, range: { startStep?: number; endStep?: number } = {}): Downsampled {
  const order = sortedByStep(series, range);
  const n = order.length;
  if (n <= maxPoints) return { ...pick(series, order), downsampled: false };
  const buckets = Math.max(1, Math.floor((maxPoints - 2) / 2));
  const first = series.step[order[0]!]!;
  const last = series.step[order[n - 1]!]!;
  const width = (last - first) / buckets || 1;
  const keep: number[] = [order[0]!];
  let b = 0;
  let minI = -1;
  let maxI = -1;
  let nanI = -1;
  const flush = () => {
    if (minI >= 0) {
      const [a, c] = minI <= maxI ? [minI, maxI] : [maxI, minI];
      if (a !== keep[keep.length - 1]) keep.push(a);
      if (c !== a) keep.push(c);
    } else if (nanI >= 0 && nanI !== keep[keep.length - 1]) keep.push(nanI);
    minI = maxI = nanI = -1;
  };
  for (let j = 1; j < n - 1; j++) {
    const i = order[j]!;
    const bucket = Math.min(buckets - 1, Math.floor((series.step[i]! - first) / width));
    if (bucket !== b) {
      flush();
      b = bucket;
    }
    const v = series.value[i]!;
    if (Number.isNaN(v)) {
      if (nanI < 0) nanI = i;
      continue;
    }
    if (minI < 0 || v < series.value[minI]!) minI = i;
    if (maxI < 0 || v > series.value[maxI]!) maxI = i;
  }
  flush();
  keep.push(order[n - 1]!);
  return { ...pick(series, keep), downsampled: true };
}

/** Indexes of the points in the step range, ordered by step (stable: logging order breaks ties). */
function sortedByStep(s: MetricSeries, range: { startStep?: number; endStep?: number }): number[] {
  const lo = range.startStep ?? -Infinity;
  const hi = range.endStep ?? Infinity;
  const idx: number[] = [];
  let sorted = true;
  for (let i = 0; i < s.step.length; i++) {
    const st = s.step[i]!;
    if (st < lo || st > hi) continue;
    if (idx.length > 0 && st < s.step[idx[idx.length - 1]!]!) sorted = false;
    idx.push(i);
  }
  if (!sorted) idx.sort((a, b) => s.step[a]! - s.step[b]! || a - b);
  return idx;
}

function pick(s: MetricSeries, idx: number[]): MetricSeries {
  const step = new Float64Array(idx.length);
  const timestamp = new Float64Array(idx.length);
  const value = new Float64Array(idx.length);
  idx.forEach((i, j) => {
    step[j] = s.step[i]!;
    timestamp[j] = s.timestamp[i]!;
    value[j] = s.value[i]!;
  });
  return { step, timestamp, value };
}
