// GET /api/cairn/v1/pipelines/status against a real server: stages in execution order with their
// upstream edges, `never ran` before the first execution, the last execution's child runs after it,
// `changed` when a dependency is edited; clear 4xx without a cairn.yaml.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { PipelineStatusResponse } from '../../backend/api/pipelines';
import { cairn } from '../helpers/cli';
import { raw, startServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

const ws = tmpDir();
const empty = tmpDir();
const node = process.execPath;
fs.writeFileSync(path.join(ws, 'raw.csv'), 'x\n1\n2\n3\n');
fs.writeFileSync(path.join(ws, 'prepare.js'), "require('fs').writeFileSync('clean.csv', require('fs').readFileSync('raw.csv','utf8'));");
fs.writeFileSync(path.join(ws, 'train.js'), "const fs=require('fs');const n=fs.readFileSync('clean.csv','utf8').trim().split('\\n').length-1;fs.writeFileSync('metrics.json',JSON.stringify({rows:n}));");
fs.writeFileSync(
  path.join(ws, 'cairn.yaml'),
  `stages:
  train:
    cmd: '${node} train.js'
    deps: [train.js, clean.csv]
    metrics: [metrics.json]
  prepare:
    cmd: '${node} prepare.js'
    deps: [prepare.js, raw.csv]
    outs: [clean.csv]
gates:
  - {metric: rows, op: ">=", value: 1}
`,
);

test('pipeline status: DAG order, upstream edges, last execution and changed stages', async () => {
  const server = await startServerProcess(path.join(ws, '.cairn'));
  const status = () => server.client.pipelineStatus();

  const before: PipelineStatusResponse = await status();
  assert.deepEqual(before.stages.map((s) => s.name), ['prepare', 'train'], 'execution order, not file order');
  assert.deepEqual(before.stages.map((s) => s.upstream), [[], ['prepare']]);
  assert.deepEqual(before.stages.map((s) => [s.state, s.reason]), [['changed', 'never ran'], ['changed', 'never ran']]);
  assert.deepEqual(before.gates, ['rows >= 1']);
  assert.equal(before.last_execution, undefined);

  const run = await cairn(server, ['pipeline', 'run', '--json'], { cwd: ws });
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { run_id: string };
  const after = await status();
  assert.equal(after.last_execution?.run_id, result.run_id);
  assert.equal(after.last_execution?.outcome, 'succeeded');
  assert.ok(after.experiment_id);
  assert.deepEqual(after.stages.map((s) => [s.state, s.last?.outcome]), [['up_to_date', 'ran'], ['up_to_date', 'ran']]);
  assert.deepEqual(after.stages[1]!.last?.metrics, { rows: 3 });

  fs.appendFileSync(path.join(ws, 'raw.csv'), '4\n');
  const edited = await status();
  assert.equal(edited.stages[0]!.state, 'changed');
  assert.equal(edited.stages[0]!.reason, 'dependency changed: raw.csv');
  await server.stop();
});

test('pipeline status without a cairn.yaml is a 404 with a clear message', async () => {
  const server = await startServerProcess(path.join(empty, '.cairn'));
  const res = await raw(server, 'GET', '/api/cairn/v1/pipelines/status');
  assert.equal(res.status, 404);
  assert.equal(res.json?.['error_code'], 'RESOURCE_DOES_NOT_EXIST');
  assert.match(String(res.json?.['message']), /cairn\.yaml does not exist/);
  await server.stop();
});
