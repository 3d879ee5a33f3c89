// Model quality over time: predictions joined with their feedback labels, metrics per time window,
// and each metric checked against the reference period with Evidently's default tolerances
// (±20 % for classification, ±10 % for regression), flagged when it moved the bad way.
import type { QualityReport, QualityRequest, QualityWindow } from '../api/drift';
import { CairnError } from '../core/errors';
import { classificationMetrics, regressionMetrics, type LabelledRow } from './metrics';
import { predictionOf, probabilitiesOf, type PredictionLogSource } from './prediction-log';

const DAY = 86_400_000;
/** Metrics where larger is better; the others are errors. */
const HIGHER_IS_BETTER = new Set(['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'r2']);

interface Joined extends LabelledRow {
  time: number;
}

async function joined(log: PredictionLogSource, req: QualityRequest): Promise<{ rows: Joined[]; predictions: { time: number }[] }> {
  const labels = new Map<string, unknown[]>();
  for (const f of await log.feedback()) labels.set(f.request_id, f.labels);
  const rows: Joined[] = [];
  const predictions: { time: number }[] = [];
  for await (const rec of log.predictions({ start: req.start, end: req.end })) {
    const ls = labels.get(rec.id);
    rec.outputs.forEach((out, i) => {
      predictions.push({ time: rec.time });
      if (!ls || ls[i] === undefined || ls[i] === null) return;
      rows.push({ time: rec.time, label: ls[i], prediction: predictionOf(out, req.prediction_field), proba: probabilitiesOf(out, req.probability_field) });
    });
  }
  return { rows, predictions };
}

function inferTask(rows: Joined[]): 'classification' | 'regression' {
  const distinct = new Set(rows.map((r) => String(r.label)));
  const numeric = rows.every((r) => typeof r.label === 'number');
  const integral = rows.every((r) => Number.isInteger(r.label));
  return numeric && !(integral && distinct.size <= 5) ? 'regression' : 'classification';
}

function metricsOf(task: 'classification' | 'regression', rows: Joined[]): Record<string, number> {
  if (task === 'regression') return { ...regressionMetrics(rows.map((r) => ({ label: Number(r.label), prediction: Number(r.prediction) }))) };
  return { ...classificationMetrics(rows) };
}

export function degradedMetrics(current: Record<string, number>, reference: Record<string, number>, tolerance: number): string[] {
  const out: string[] = [];
  for (const [k, ref] of Object.entries(reference)) {
    const cur = current[k];
    if (cur === undefined || !Number.isFinite(cur) || !Number.isFinite(ref)) continue;
    const band = tolerance * Math.abs(ref);
    const worse = HIGHER_IS_BETTER.has(k) ? ref - cur : cur - ref;
    if (worse > band) out.push(k);
  }
  return out;
}

export async function qualityReport(log: PredictionLogSource, req: QualityRequest): Promise<QualityReport> {
  const windowMs = req.window_ms ?? DAY;
  if (!(windowMs > 0)) throw new CairnError('INVALID_PARAMETER_VALUE', `window_ms must be positive (got ${windowMs}).`);
  const { rows, predictions } = await joined(log, req);
  if (rows.length === 0) throw new CairnError('INVALID_PARAMETER_VALUE', `No labelled predictions for deployment '${req.deployment}' in that period: send feedback labels first.`);
  const task = req.task ?? inferTask(rows);
  const tolerance = req.tolerance ?? (task === 'classification' ? 0.2 : 0.1);
  const origin = Math.floor(Math.min(...predictions.map((p) => p.time)) / windowMs) * windowMs;
  const buckets = new Map<number, { rows: Joined[]; predictions: number }>();
  for (const p of predictions) {
    const b = Math.floor((p.time - origin) / windowMs);
    const slot = buckets.get(b) ?? { rows: [], predictions: 0 };
    slot.predictions++;
    buckets.set(b, slot);
  }
  for (const r of rows) buckets.get(Math.floor((r.time - origin) / windowMs))!.rows.push(r);
  const ordered = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  let refRows: Joined[];
  let refSpan: { start: number; end: number };
  if (req.reference) {
    refSpan = req.reference;
    refRows = rows.filter((r) => r.time >= req.reference!.start && r.time < req.reference!.end);
    if (refRows.length === 0) throw new CairnError('INVALID_PARAMETER_VALUE', 'The reference period holds no labelled predictions.');
  } else {
    const first = ordered.find(([, s]) => s.rows.length > 0)!;
    refSpan = { start: origin + first[0] * windowMs, end: origin + (first[0] + 1) * windowMs };
    refRows = first[1].rows;
  }
  const refMetrics = metricsOf(task, refRows);
  const windows: QualityWindow[] = ordered.map(([b, slot]) => {
    const metrics = slot.rows.length ? metricsOf(task, slot.rows) : {};
    return { start: origin + b * windowMs, end: origin + (b + 1) * windowMs, predictions: slot.predictions, labelled: slot.rows.length, metrics, degraded: slot.rows.length ? degradedMetrics(metrics, refMetrics, tolerance) : [] };
  });
  return {
    deployment: req.deployment,
    task,
    tolerance,
    reference: { ...refSpan, labelled: refRows.length, metrics: refMetrics },
    windows,
    degradation_detected: windows.some((w) => w.degraded.length > 0),
  };
}
