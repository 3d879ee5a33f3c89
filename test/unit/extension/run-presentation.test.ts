import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatNumber, keyMetric, runContextValue, runDescription, runName, runNodeId, runTooltip } from '../../../extension/runs/run-presentation';
import { fakeRun } from './fake-run';


test('the key metric: configured, else a well-known one, else the first by name', () => {
  const r = fakeRun({ metrics: { zeta: 1, accuracy: 0.9, loss: 0.2 } });
  assert.deepEqual(keyMetric(r), { key: 'loss', value: 0.2 });
  assert.deepEqual(keyMetric(r, 'zeta'), { key: 'zeta', value: 1 });
  assert.deepEqual(keyMetric(r, 'missing'), { key: 'loss', value: 0.2 });
  assert.deepEqual(keyMetric(fakeRun({ metrics: { b: 2, a: 1 } })), { key: 'a', value: 1 });
  assert.equal(keyMetric(fakeRun()), undefined);
});

test('description, tooltip, id and contextValue', () => {
  const r = fakeRun({ id: 'abc', exp: '7', metrics: { loss: 0.123456 }, start: 0, end: 125_000, params: { lr: '0.1', epochs: '3' }, tags: { 'cairn.starred': 'true', 'mlflow.source.git.commit': '0123456789abcdef' } });
  assert.equal(runDescription(r), 'loss=0.1235 · 2m 5s');
  assert.equal(runDescription(fakeRun({ status: 'RUNNING', metrics: { acc: 0.5 } })), 'acc=0.5 · running');
  assert.equal(runNodeId(r), '/exp/7/run/abc');
  assert.equal(runContextValue(r), 'cairn:run+finished+starred+active');
  assert.equal(runContextValue(fakeRun({ deleted: true, status: 'FAILED' })), 'cairn:run+failed+unstarred+deleted');
  const tip = runTooltip(r);
  assert.match(tip, /params:\n {2}epochs = 3\n {2}lr = 0\.1/);
  assert.match(tip, /commit: 0123456789/);
  assert.equal(runName(fakeRun({ name: '' , id: 'abcdef123456' })), 'abcdef12');
});

test('numbers are compact', () => {
  assert.equal(formatNumber(3), '3');
  assert.equal(formatNumber(0.000012345), '1.234e-5');
  assert.equal(formatNumber(1234567.8), '1.235e+6');
  assert.equal(formatNumber(NaN), 'NaN');
});
