import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { driftReport } from '../../../backend/drift/dataset-drift';
import { PredictionLogReader } from '../../../backend/drift/inputs/prediction-log-reader';
import { classificationMetrics, regressionMetrics, rocAuc } from '../../../backend/quality/metrics';
import { PredictionLogDir } from '../../../backend/quality/prediction-log';
import { degradedMetrics, qualityReport } from '../../../backend/quality/quality-report';
import { tmpDir } from '../../helpers/tmp';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('binary classification metrics, ROC AUC and log loss', () => {
  const y = [1, 0, 1, 1, 0, 0, 1, 0];
  const p = [1, 0, 0, 1, 0, 1, 1, 0];
  const s = [0.9, 0.1, 0.4, 0.8, 0.3, 0.6, 0.7, 0.2];
  const m = classificationMetrics(y.map((label, i) => ({ label, prediction: p[i], proba: s[i] })));
  close(m.accuracy, 0.75);
  close(m.precision, 0.75);
  close(m.recall, 0.75);
  close(m.f1, 0.75);
  close(m.roc_auc!, 15 / 16);
  close(m.log_loss!, -(Math.log(0.9) + Math.log(0.9) + Math.log(0.4) + Math.log(0.8) + Math.log(0.7) + Math.log(0.4) + Math.log(0.7) + Math.log(0.8)) / 8);
  close(rocAuc([true, false, true, false], [0.5, 0.5, 0.5, 0.5]), 0.5); // ties count half
});

test('multiclass metrics are macro averages', () => {
  const y = ['a', 'b', 'c', 'a', 'b', 'c'];
  const p = ['a', 'b', 'b', 'a', 'c', 'c'];
  const m = classificationMetrics(y.map((label, i) => ({ label, prediction: p[i] })));
  close(m.accuracy, 4 / 6);
  close(m.precision, 2 / 3);
  close(m.recall, 2 / 3);
  close(m.f1, 2 / 3);
  assert.equal(m.roc_auc, undefined);
});

test('regression metrics (MAPE in percent, like Evidently)', () => {
  const m = regressionMetrics([1, 2, 3, 4].map((label, i) => ({ label, prediction: [1.5, 2, 2, 5][i]! })));
  close(m.mae, 0.625);
  close(m.rmse, 0.75);
  close(m.mape, ((0.5 + 0 + 1 / 3 + 0.25) / 4) * 100);
  close(m.r2, 0.55);
});

test('degradation: worse than reference by more than the tolerance, per direction', () => {
  assert.deepEqual(degradedMetrics({ accuracy: 0.75, f1: 0.95 }, { accuracy: 0.9, f1: 0.9 }, 0.2), []); // 0.75 is within 20 % of 0.9
  assert.deepEqual(degradedMetrics({ accuracy: 0.7 }, { accuracy: 0.9 }, 0.1), ['accuracy']);
  assert.deepEqual(degradedMetrics({ mae: 1.2, rmse: 0.5 }, { mae: 1, rmse: 1 }, 0.1), ['mae']); // lower error is not a degradation
});

const dir = tmpDir();
const DAY = 86_400_000;
const t0 = Date.UTC(2015, 0, 1);

function writeLog(logDir: string): void {
  fs.mkdirSync(logDir, { recursive: true });
  const preds: string[] = [];
  const feedback: string[] = [];
  for (let d = 0; d < 3; d++) {
    for (let i = 0; i < 50; i++) {
      const id = `r${d}-${i}`;
      const temp = d === 2 ? 20 + (i % 10) : 10 + (i % 10);
      const truth = temp > 14 ? 'sun' : 'rain';
      // the model is right on days 0-1 and mostly wrong on day 2
      const predicted = d < 2 ? truth : i % 4 === 0 ? truth : 'rain';
      preds.push(JSON.stringify({ id, time: t0 + d * DAY + i * 1000, version: '1', inputs: [{ temp_max: temp, wind: 3 + (i % 5) }], outputs: [{ prediction: predicted }] }));
      feedback.push(JSON.stringify({ request_id: id, time: t0 + d * DAY + i * 1000 + 10, labels: [truth] }));
    }
  }
  fs.writeFileSync(path.join(logDir, 'predictions-000001.jsonl'), preds.join('\n') + '\n');
  fs.writeFileSync(path.join(logDir, 'feedback.jsonl'), feedback.join('\n') + '\n' + '{"request_id": "torn'); // torn tail is skipped
}

test('quality over time from a prediction log and feedback labels flags the degraded day', async () => {
  const logDir = path.join(dir, 'log');
  writeLog(logDir);
  const r = await qualityReport(new PredictionLogDir(logDir), { deployment: 'weather', window_ms: DAY });
  assert.equal(r.task, 'classification');
  assert.equal(r.tolerance, 0.2);
  assert.equal(r.windows.length, 3);
  assert.deepEqual(r.windows.map((w) => w.labelled), [50, 50, 50]);
  close(r.reference.metrics['accuracy']!, 1);
  assert.deepEqual(r.windows[1]!.degraded, []);
  assert.ok(r.windows[2]!.degraded.includes('accuracy'));
  assert.equal(r.degradation_detected, true);
});

test('a prediction log window is a drift source (inputs plus the prediction column)', async () => {
  const logDir = path.join(dir, 'log2');
  writeLog(logDir);
  const log = new PredictionLogDir(logDir);
  const reference = new PredictionLogReader(log, { start: t0, end: t0 + 2 * DAY });
  const current = new PredictionLogReader(log, { start: t0 + 2 * DAY });
  const report = await driftReport({ reference: { deployment: 'weather' }, current: { deployment: 'weather' } }, { reference, current });
  assert.deepEqual(report.columns.map((c) => c.column), ['temp_max', 'wind', 'prediction']);
  assert.equal(report.reference.rows, 100);
  assert.equal(report.columns[0]!.drift_detected, true);
  assert.equal(report.columns[1]!.drift_detected, false);
});
