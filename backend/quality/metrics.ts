// Classification and regression quality metrics, computed the way scikit-learn (and so Evidently)
// computes them: binary metrics for labels {0,1}/{false,true} with positive class 1, otherwise
// macro averages; ROC AUC by the rank statistic with ties; log loss with probabilities clipped.

export interface ClassificationMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  roc_auc?: number;
  log_loss?: number;
}

export interface RegressionMetrics {
  mae: number;
  rmse: number;
  /** Mean absolute percentage error, in percent (Evidently's convention). */
  mape: number;
  r2: number;
}

export interface LabelledRow {
  label: unknown;
  prediction: unknown;
  /** P(positive) for binary tasks, or class → probability. */
  proba?: number | Record<string, number>;
}

const key = (v: unknown) => (typeof v === 'boolean' ? (v ? '1' : '0') : String(v));

export function isBinary(labels: Iterable<string>): boolean {
  for (const l of labels) if (l !== '0' && l !== '1') return false;
  return true;
}

export function classificationMetrics(rows: LabelledRow[]): ClassificationMetrics {
  const classes = new Set<string>();
  for (const r of rows) {
    classes.add(key(r.label));
    classes.add(key(r.prediction));
  }
  const binary = isBinary(classes);
  const labels = binary ? ['1'] : [...classes].sort();
  let correct = 0;
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  for (const r of rows) {
    const y = key(r.label);
    const p = key(r.prediction);
    if (y === p) {
      correct++;
      tp.set(y, (tp.get(y) ?? 0) + 1);
    } else {
      fp.set(p, (fp.get(p) ?? 0) + 1);
      fn.set(y, (fn.get(y) ?? 0) + 1);
    }
  }
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  for (const c of labels) {
    const t = tp.get(c) ?? 0;
    const pr = t + (fp.get(c) ?? 0) ? t / (t + (fp.get(c) ?? 0)) : 0;
    const rc = t + (fn.get(c) ?? 0) ? t / (t + (fn.get(c) ?? 0)) : 0;
    precision += pr;
    recall += rc;
    f1 += pr + rc ? (2 * pr * rc) / (pr + rc) : 0;
  }
  const out: ClassificationMetrics = { accuracy: correct / rows.length, precision: precision / labels.length, recall: recall / labels.length, f1: f1 / labels.length };
  const withProba = rows.filter((r) => r.proba !== undefined);
  if (withProba.length === rows.length && rows.length > 0) {
    if (binary) {
      const pPos = rows.map((r) => (typeof r.proba === 'number' ? r.proba : (r.proba as Record<string, number>)['1'] ?? 1 - ((r.proba as Record<string, number>)['0'] ?? 0)));
      const y = rows.map((r) => key(r.label) === '1');
      out.roc_auc = rocAuc(y, pPos);
      out.log_loss = -mean(rows.map((_, i) => Math.log(clip(y[i] ? pPos[i]! : 1 - pPos[i]!))));
    } else if (rows.every((r) => typeof r.proba === 'object')) {
      const aucs = labels.map((c) => rocAuc(rows.map((r) => key(r.label) === c), rows.map((r) => (r.proba as Record<string, number>)[c] ?? 0)));
      const valid = aucs.filter((a) => !Number.isNaN(a));
      out.roc_auc = valid.length ? mean(valid) : NaN;
      out.log_loss = -mean(rows.map((r) => Math.log(clip(normalise(r.proba as Record<string, number>)[key(r.label)] ?? 0))));
    }
  }
  return out;
}

function normalise(p: Record<string, number>): Record<string, number> {
  const s = Object.values(p).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v / s]));
}

const clip = (p: number) => Math.min(1 - 1e-15, Math.max(1e-15, p));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Area under the ROC curve = P(score_pos > score_neg) + ½ P(tie); NaN with a single class. */
export function rocAuc(positive: boolean[], score: number[]): number {
  const idx = score.map((_, i) => i).sort((a, b) => score[a]! - score[b]!);
  let nPos = 0;
  let rankSum = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && score[idx[j + 1]!] === score[idx[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (positive[idx[k]!]) {
      nPos++;
      rankSum += rank;
    }
    i = j + 1;
  }
  const nNeg = idx.length - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

export function regressionMetrics(rows: { label: number; prediction: number }[]): RegressionMetrics {
  const n = rows.length;
  let ae = 0;
  let se = 0;
  let ape = 0;
  let ym = 0;
  for (const r of rows) ym += r.label;
  ym /= n;
  let sst = 0;
  for (const r of rows) {
    const e = r.label - r.prediction;
    ae += Math.abs(e);
    se += e * e;
    ape += Math.abs(e / r.label);
    sst += (r.label - ym) ** 2;
  }
  return { mae: ae / n, rmse: Math.sqrt(se / n), mape: (ape / n) * 100, r2: sst === 0 ? (se === 0 ? 1 : 0) : 1 - se / sst };
}
