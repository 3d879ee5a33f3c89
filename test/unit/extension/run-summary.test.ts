import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { runSummary, runSummaryYaml } from '../../../extension/diff/run-summary';
import { fakeRun } from './fake-run';

test('the YAML summary has sorted params, metrics, tags, code, data and environment', () => {
  const run = fakeRun({
    name: 'r',
    params: { lr: '0.1', alpha: '2' },
    metrics: { z: 1, loss: 0.5 },
    tags: { 'mlflow.source.git.commit': 'abc', 'cairn.git.dirty': 'true', 'cairn.command': '["python","train.py"]', team: 'x', 'mlflow.runName': 'r' },
  });
  run.inputs.dataset_inputs = [{ tags: [{ key: 'mlflow.data.context', value: 'train' }], dataset: { name: 'iris', digest: 'd1', source_type: 'local', source: 'data/iris.csv' } }];
  const env = { platform: 'linux', arch: 'x64', hostname: 'h', user: 'u', python: '3.11', lockFiles: { 'requirements.txt': 'ff', 'a.lock': 'ee' }, env: {} };
  const yaml = runSummaryYaml(run, { experimentName: 'exp', environment: env });
  assert.ok(yaml.indexOf('alpha:') < yaml.indexOf('lr:'), 'params sorted');
  const doc = parse(yaml);
  assert.deepEqual(doc.params, { alpha: '2', lr: '0.1' });
  assert.deepEqual(Object.keys(doc.metrics), ['loss', 'z']);
  assert.deepEqual(doc.code, { commit: 'abc', branch: null, uncommitted_changes: true });
  assert.deepEqual(doc.run.command, ['python', 'train.py']);
  assert.equal(doc.run.experiment, 'exp');
  assert.deepEqual(doc.tags, { team: 'x' }, 'tags shown elsewhere are not repeated');
  assert.deepEqual(doc.data, [{ name: 'iris', digest: 'd1', source: 'data/iris.csv', context: 'train' }]);
  assert.deepEqual(Object.keys(doc.environment.lockFiles), ['a.lock', 'requirements.txt']);
  assert.equal(runSummary(fakeRun()).environment, null);
});

test('the YAML emitter round-trips through a YAML parser, including awkward strings and keys', async () => {
  const { toYaml } = await import('../../../extension/diff/yaml-emit');
  const value = {
    plain: 'x',
    'key: with colon': 'v',
    tricky: ['yes', 'no', 'null', '1e3', '- dash', '# hash', 'multi\nline', '"quoted"', ''],
    numbers: [0, -1.5, 1e-7, NaN, Infinity],
    nested: { empty: {}, list: [], deep: [{ a: 1, b: { c: true } }, null] },
  };
  assert.deepEqual(parse(toYaml(value)), value);
});
