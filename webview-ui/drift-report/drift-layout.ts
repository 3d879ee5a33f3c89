// What the drift report panel shows, computed from a report (pure, no DOM): the banner, the table
// rows (drifted first, like Evidently's), and histogram series on a common x axis.
import type { ColumnDriftResult, DriftReport, SmallHistogram } from '../../backend/api/drift';

export interface Banner {
  drifted: boolean;
  /** "Drift is detected for 33.33% of columns (1 out of 3)." */
  headline: string;
  /** "Dataset drift is detected. Dataset drift detection threshold is 0.5." */
  detail: string;
}

export function bannerOf(r: Pick<DriftReport, 'dataset_drift' | 'drift_share' | 'number_of_columns' | 'number_of_drifted_columns' | 'share_of_drifted_columns'>): Banner {
  const pct = `${(Math.round(r.share_of_drifted_columns * 10_000) / 100).toString()}%`;
  return {
    drifted: r.dataset_drift,
    headline: `Drift is detected for ${pct} of columns (${r.number_of_drifted_columns} out of ${r.number_of_columns}).`,
    detail: `Dataset drift is ${r.dataset_drift ? '' : 'NOT '}detected. Dataset drift detection threshold is ${r.drift_share}.`,
  };
}

/** Drifted columns first, then by name (stable for equal keys). */
export function orderedColumns(cols: readonly ColumnDriftResult[]): ColumnDriftResult[] {
  return [...cols].sort((a, b) => Number(b.drift_detected) - Number(a.drift_detected) || a.column.localeCompare(b.column));
}

/** Scores as Evidently prints them: 6 significant digits at most, tiny p-values in exponent form. */
export function formatScore(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && Math.abs(v) < 1e-4) return v.toExponential(2);
  return String(Number(v.toPrecision(6)));
}

export const typeLabel = (t: ColumnDriftResult['column_type']): string => (t === 'num' ? 'num' : 'cat');

/** Series on one x axis: numerical bins as steps (x = bin edges), categories as indexed bars. */
export interface HistogramSeries {
  kind: 'num' | 'cat';
  x: number[];
  /** Category names by index (categorical only). */
  labels: string[];
  reference: (number | null)[];
  current: (number | null)[];
}

/** The value of a step histogram (edges e, heights y) at x: y of the bin [e_i, e_i+1) holding x, 0 outside. */
function stepValue(h: SmallHistogram, x: number): number {
  const e = h.x as number[];
  for (let i = 0; i < h.y.length; i++) if (x >= e[i]! && x < e[i + 1]!) return h.y[i]!;
  return 0;
}

/** Overlays both sides. Numerical sides have their own bin edges: the union of edges carries both step functions. Categorical counts become shares, so unequal row counts compare. */
export function histogramSeries(col: Pick<ColumnDriftResult, 'column_type' | 'histogram'>): HistogramSeries {
  const { reference: ref, current: cur } = col.histogram;
  if (col.column_type === 'num') {
    const x = [...new Set([...(ref.x as number[]), ...(cur.x as number[])])].sort((a, b) => a - b);
    return { kind: 'num', x, labels: [], reference: x.map((v) => stepValue(ref, v)), current: x.map((v) => stepValue(cur, v)) };
  }
  const labels = [...new Set([...ref.x, ...cur.x].map(String))];
  const share = (h: SmallHistogram) => {
    const total = h.y.reduce((s, v) => s + v, 0) || 1;
    const byLabel = new Map(h.x.map((k, i) => [String(k), h.y[i]! / total]));
    return labels.map((l) => byLabel.get(l) ?? 0);
  };
  return { kind: 'cat', x: labels.map((_, i) => i), labels, reference: share(ref), current: share(cur) };
}

/** One side alone (for a sparkline). */
export function sideSeries(s: HistogramSeries, side: 'reference' | 'current'): HistogramSeries {
  return side === 'reference' ? { ...s, current: s.current.map(() => null) } : { ...s, reference: s.reference.map(() => null) };
}
