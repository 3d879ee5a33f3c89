// `cairn pipeline run` against a real server: parent and child runs, the champion gate, promotion.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { ModelVersion } from '../../backend/api/mlflow';
import { CLI, startServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

const ws = tmpDir();
fs.writeFileSync(path.join(ws, 'params.yaml'), 'quality: 7\n');
fs.writeFileSync(path.join(ws, 'train.js'), "const fs=require('fs');const q=Number(/quality: (\\d+)/.exec(fs.readFileSync('params.yaml','utf8'))[1]);fs.mkdirSync('model',{recursive:true});fs.writeFileSync('model/model.json',JSON.stringify({q}));fs.writeFileSync('metrics.json',JSON.stringify({accuracy:q/10}));");
fs.writeFileSync(
  path.join(ws, 'cairn.yaml'),
  `stages:
  train:
    cmd: '${process.execPath} train.js'
    deps: [train.js]
    params: [quality]
    outs: [model]
    metrics: [metrics.json]
gates:
  - {metric: accuracy, op: ">=", value: 0.5}
  - {compare: champion, model: weather, alias: champion, metric: accuracy, direction: higher}
promote: {model: weather, alias: champion, artifact: model}
`,
);

test('pipeline runs are recorded as parent + child runs; the gate compares with the champion; promotion moves the alias', async () => {
  const server = await startServerProcess(path.join(ws, '.cairn'));
  const env = { ...process.env, CAIRN_TRACKING_URI: server.url, CAIRN_TOKEN: server.token };
  const run = () => spawnSync(process.execPath, [CLI, 'pipeline', 'run', '--json'], { cwd: ws, env, encoding: 'utf8' });
  const alias = async () => (await server.client.call<{ model_version: ModelVersion }>('GET', '/api/2.0/mlflow/registered-models/alias', { name: 'weather', alias: 'champion' })).model_version;

  const first = run();
  assert.equal(first.status, 0, first.stderr);
  const r1 = JSON.parse(first.stdout);
  assert.equal(r1.promoted.version, '1');
  assert.equal((await alias()).run_id, r1.run_id);
  const child = await server.client.getRun(r1.stages[0].run_id);
  const tags = Object.fromEntries(child.data.tags.map((t) => [t.key, t.value]));
  assert.equal(tags['mlflow.parentRunId'], r1.run_id);
  assert.equal(tags['cairn.stage.status'], 'ran');
  assert.deepEqual(child.data.metrics.map((m) => [m.key, m.value]), [['accuracy', 0.7]]);
  assert.deepEqual(child.data.params, [{ key: 'quality', value: '7' }]);

  fs.writeFileSync(path.join(ws, 'params.yaml'), 'quality: 6\n');
  const worse = run();
  assert.equal(worse.status, 4, worse.stdout + worse.stderr); // gate failed: 0.6 < champion 0.7
  assert.equal((await alias()).version, '1');

  fs.writeFileSync(path.join(ws, 'params.yaml'), 'quality: 9\n');
  const better = run();
  assert.equal(better.status, 0, better.stderr);
  const r3 = JSON.parse(better.stdout);
  assert.equal(r3.promoted.version, '2');
  assert.equal((await alias()).version, '2');
  const files = await server.client.call<{ files?: { path: string }[] }>('GET', '/api/2.0/mlflow/artifacts/list', { run_id: r3.run_id, path: 'model' });
  assert.deepEqual(files.files?.map((f) => f.path), ['model/model.json']);

  fs.writeFileSync(path.join(ws, 'params.yaml'), 'quality: 7\n');
  const restored = run();
  assert.equal(restored.status, 4); // restored from the run cache, then the gate (0.7 < 0.9) fails
  assert.equal(JSON.parse(restored.stdout).stages[0].status, 'restored');
  await server.stop();
});
