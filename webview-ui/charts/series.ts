/** Metric series as charts need them. Pure. */
import type { MetricSeriesResponse } from '../../backend/api/cairn';

export interface Series {
  runId: string;
  key: string;
  steps: number[];
  values: (number | null)[];
  totalPoints: number;
  downsampled: boolean;
}

export function decodeSeries(r: MetricSeriesResponse): Series {
  return {
    runId: r.run_id,
    key: r.key,
    steps: r.step.map(Number),
    values: r.value.map((v) => {
      const n = typeof v === 'number' ? v : v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : Number(v);
      return Number.isFinite(n) ? n : null;
    }),
    totalPoints: r.total_points,
    downsampled: r.downsampled,
  };
}

/**
 * Aligns several series on the union of their steps (what uPlot needs: one x array), with null
 * where a series has no point at a step.
 */
export function alignSeries(series: { steps: number[]; values: (number | null)[] }[]): { x: number[]; ys: (number | null)[][] } {
  if (series.length === 1) return { x: series[0]!.steps, ys: [series[0]!.values] };
  const all = new Set<number>();
  for (const s of series) for (const x of s.steps) all.add(x);
  const x = [...all].sort((a, b) => a - b);
  const pos = new Map(x.map((v, i) => [v, i]));
  const ys = series.map((s) => {
    const y: (number | null)[] = new Array(x.length).fill(null);
    for (let i = 0; i < s.steps.length; i++) y[pos.get(s.steps[i]!)!] = s.values[i]!;
    return y;
  });
  return { x, ys };
}

/** System metrics follow MLflow's `system/…` naming. */
export const isSystemMetric = (key: string) => key.startsWith('system/');
