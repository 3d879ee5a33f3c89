import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MonitorStatus } from '../../../backend/api/drift';
import type { PipelineStatusResponse, StageStatus } from '../../../backend/api/pipelines';
import { driftSourceArg, sourceLabel } from '../../../extension/commands/monitoring/drift-source-arg';
import { driftBadge, driftNotification, monitorDescription, newlyDrifting, orderedMonitors } from '../../../extension/monitors/monitor-presentation';
import { executionSummary, stageDescription, stageDetails } from '../../../extension/pipelines/pipeline-presentation';

const mon = (name: string, state: MonitorStatus['state'], extra: Partial<MonitorStatus> = {}): MonitorStatus => ({ name, deployment: 'weather', reference: 'ref.csv', window_ms: 3_600_000, every_ms: 600_000, drift_share: 0.5, actions: ['notify'], state, ...extra });

test('monitors: drifting ones first, described with their deployment and period', () => {
  assert.deepEqual(orderedMonitors([mon('b', 'ok'), mon('a', 'new'), mon('c', 'drift'), mon('d', 'error')]).map((m) => m.name), ['c', 'd', 'b', 'a']);
  assert.equal(monitorDescription(mon('m', 'waiting')), 'waiting for traffic · weather · every 10m');
});

test('a notification only for monitors that turn drifting; the badge counts drifting monitors', () => {
  const before = [mon('a', 'ok'), mon('b', 'drift'), mon('c', 'waiting')];
  const after = [mon('a', 'drift'), mon('b', 'drift'), mon('c', 'ok'), mon('d', 'drift')];
  assert.deepEqual(newlyDrifting(before, after).map((m) => m.name), ['a', 'd']);
  assert.deepEqual(newlyDrifting(after, after), []);
  assert.deepEqual(driftBadge(after), { value: 3, tooltip: '3 monitors drifting' });
  assert.equal(driftBadge(before)?.tooltip, '1 monitor drifting');
  assert.equal(driftBadge([mon('a', 'ok')]), undefined);
  assert.match(driftNotification(mon('a', 'drift', { actions: ['notify', 'retrain'] })), /monitor 'a' on deployment 'weather'\. Retraining was triggered\./);
});

const stage = (s: Partial<StageStatus>): StageStatus => ({ name: 'train', cmd: 'python train.py', deps: [], params: [], outs: [], metrics: [], upstream: [], state: 'up_to_date', ...s });

test('stages: state, last outcome and upstream edges; details list inputs, outputs and metrics', () => {
  assert.equal(stageDescription(stage({ upstream: ['prepare'], last: { run_id: 'r', status: 'FINISHED', outcome: 'ran', start_time: 1, metrics: {} } })), 'up to date · last ran · after prepare');
  assert.equal(stageDescription(stage({ state: 'changed', reason: 'never ran' })), 'changed');
  assert.deepEqual(stageDetails(stage({ upstream: ['prepare'], deps: ['a.csv', 'train.py'], outs: ['model'], last: { run_id: 'r', status: 'FINISHED', start_time: 1, metrics: { accuracy: 0.9 } } })), [
    { label: 'needs', description: 'prepare' },
    { label: 'deps', description: 'a.csv, train.py' },
    { label: 'outs', description: 'model' },
    { label: 'accuracy', description: '0.9' },
  ]);
  const p: PipelineStatusResponse = { file: 'cairn.yaml', stages: [], gates: [], last_execution: { run_id: 'x', status: 'FINISHED', outcome: 'gate_failed', trigger: 'drift', start_time: 1 } };
  assert.equal(executionSummary(p), 'last run: gate failed (drift)');
  assert.equal(executionSummary({ ...p, last_execution: undefined }), undefined);
});

test('drift source arguments: files inside the workspace, datasets with optional versions', () => {
  assert.deepEqual(driftSourceArg('data/ref.csv', '/ws'), { path: 'data/ref.csv' });
  assert.deepEqual(driftSourceArg('/ws/data/cur.csv', '/ws'), { path: 'data/cur.csv' });
  assert.deepEqual(driftSourceArg({ fsPath: '/ws/x.parquet' }, '/ws'), { path: 'x.parquet' });
  assert.deepEqual(driftSourceArg('dataset:data/weather.csv@abcdef12', '/ws'), { dataset: 'data/weather.csv', version: 'abcdef12' });
  assert.deepEqual(driftSourceArg('dataset:weather', '/ws'), { dataset: 'weather' });
  assert.deepEqual(driftSourceArg({ dataset: 'w', version: 'abcdef1' }, '/ws'), { dataset: 'w', version: 'abcdef1' });
  assert.throws(() => driftSourceArg('/etc/passwd', '/ws'), /not inside the workspace/);
  assert.throws(() => driftSourceArg('../x.csv', '/ws'), /not inside the workspace/);
  assert.throws(() => driftSourceArg(42, '/ws'), /Not a drift source/);
  assert.equal(sourceLabel({ path: 'data/ref.csv' }), 'ref.csv');
  assert.equal(sourceLabel({ dataset: 'w', version: 'abcdef1234' }), 'w@abcdef12');
});
