import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DatasetInput } from '../../../backend/api/mlflow';
import { parseRoute, routeHref } from '../../../webview-ui/app/routes';
import { codeLabel, commandLine, datasetRows, formatBytes, formatTime, signatureSourceLabel, sortedMetrics, sortedParams, tensorRows } from '../../../webview-ui/model-card/card-layout';
import { modelCardKey, panelKey, PANEL_ACTIONS, PANEL_REQUESTS } from '../../../webview-ui/protocol/panels';

const run = { run_id: 'r1', run_name: 'fit', experiment_id: '1', status: 'FINISHED', start_time: 0, user_id: 'ann' };

test('model card: signature rows with name, type and shape; metrics and params sorted by key', () => {
  assert.deepEqual(tensorRows([{ name: 'x', datatype: 'FP32', shape: [-1, 4] }, { name: 'mask', datatype: 'BOOL', shape: [-1] }]), [
    { name: 'x', type: 'FP32', shape: '[-1, 4]' },
    { name: 'mask', type: 'BOOL', shape: '[-1]' },
  ]);
  assert.deepEqual(sortedMetrics([{ key: 'loss', value: 1, step: 0, timestamp: 0 }, { key: 'accuracy', value: 0.9, step: 0, timestamp: 0 }]).map((m) => m.key), ['accuracy', 'loss']);
  const params = [{ key: 'lr', value: '0.1' }, { key: 'epochs', value: '3' }];
  assert.deepEqual(sortedParams(params).map((p) => p.key), ['epochs', 'lr']);
  assert.deepEqual(params.map((p) => p.key), ['lr', 'epochs'], 'the card is not mutated');
});

test('model card: lineage labels for the commit, the recorded command and data versions', () => {
  assert.equal(codeLabel({ ...run, git_commit: '0123456789abcdef', git_branch: 'main', git_dirty: true }), '0123456789ab on main (uncommitted changes)');
  assert.equal(codeLabel({ ...run, git_commit: 'abc1234', git_dirty: false }), 'abc1234 (clean)');
  assert.equal(codeLabel(run), '');
  assert.equal(commandLine('["python","train.py","--name","a b"]'), 'python train.py --name "a b"');
  assert.equal(commandLine('python train.py'), 'python train.py', 'not JSON: as recorded');
  assert.equal(commandLine('{"a":1}'), '{"a":1}');
  assert.equal(commandLine(undefined), '');
  const d: DatasetInput = { tags: [{ key: 'mlflow.data.context', value: 'train' }], dataset: { name: 'weather', digest: 'd1g3st', source_type: 'local', source: 'data/w.csv' } };
  assert.deepEqual(datasetRows([d]), [{ name: 'weather', digest: 'd1g3st', context: 'train', source: 'data/w.csv' }]);
  assert.equal(datasetRows([{ ...d, tags: [] }])[0]!.context, '');
});

test('model card: sizes, times and the signature source in words', () => {
  assert.equal(formatBytes(120), '120 B');
  assert.equal(formatBytes(2048), '2.0 KiB');
  assert.equal(formatBytes(3 * 1024 * 1024), '3.0 MiB');
  assert.equal(formatTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), '2026-01-02 03:04:05 UTC');
  assert.equal(signatureSourceLabel('sample'), 'inferred from a sample');
});

test('model card panel: its key, protocol and dashboard route', () => {
  assert.equal(panelKey({ panel: 'model-card', state: { name: 'a/b c', version: '3' } }), 'model:a%2Fb%20c/3');
  assert.equal(modelCardKey('weather', '1'), 'model:weather/1');
  assert.deepEqual([...PANEL_REQUESTS['model-card']].sort(), ['experiments', 'modelCard']);
  assert.deepEqual(PANEL_ACTIONS['model-card'], ['openRun']);
  const r = { view: 'model' as const, name: 'a/b c', version: '3' };
  assert.equal(routeHref(r), '#/model/a%2Fb%20c/3');
  assert.deepEqual(parseRoute(routeHref(r)), r);
  assert.deepEqual(parseRoute('#/model/weather'), { view: 'runs', experimentIds: undefined }, 'a version is required');
});
