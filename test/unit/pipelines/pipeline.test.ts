import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { dagText, executionOrder } from '../../../backend/pipelines/dag';
import { parsePipeline } from '../../../backend/pipelines/pipeline-spec';
import { runPipeline, stageChange, lockFile } from '../../../backend/pipelines/pipeline-runner';
import { readLock } from '../../../backend/pipelines/lock-file';
import { untracked } from '../../../backend/pipelines/tracker';
import { tmpDir } from '../../helpers/tmp';

const root = tmpDir();
const node = process.execPath;

// prepare: counts its executions in a file outside the workspace-tracked outs; train: writes a model and metrics
function workspace(name: string, extra = ''): string {
  const ws = path.join(root, name);
  fs.mkdirSync(ws, { recursive: true });
  fs.writeFileSync(path.join(ws, 'raw.txt'), '1\n2\n3\n');
  fs.writeFileSync(path.join(ws, 'params.yaml'), 'train:\n  factor: 2\n');
  fs.writeFileSync(path.join(ws, 'prepare.js'), `const fs=require('fs');fs.appendFileSync('runs.log','prepare\\n');fs.mkdirSync('data',{recursive:true});fs.writeFileSync('data/clean.txt',fs.readFileSync('raw.txt','utf8').trim().split('\\n').map(Number).join(','));`);
  fs.writeFileSync(path.join(ws, 'train.js'), `const fs=require('fs');fs.appendFileSync('runs.log','train\\n');const f=require('yaml').parse(fs.readFileSync('params.yaml','utf8')).train.factor;const xs=fs.readFileSync('data/clean.txt','utf8').split(',').map(Number);fs.mkdirSync('model',{recursive:true});fs.writeFileSync('model/weights.json',JSON.stringify(xs.map(x=>x*f)));fs.writeFileSync('metrics.json',JSON.stringify({accuracy:0.5+f/10,nested:{loss:1/f}}));`);
  fs.writeFileSync(
    path.join(ws, 'cairn.yaml'),
    `stages:
  train:
    cmd: '${node} train.js'
    deps: [train.js, data/clean.txt]
    params: [train.factor]
    outs: [model]
    metrics: [metrics.json]
  prepare:
    cmd: '${node} prepare.js'
    deps: [prepare.js, raw.txt]
    outs: [data/clean.txt]
${extra}`,
  );
  // train.js needs the yaml package: resolve it from this repository
  fs.symlinkSync(path.resolve(__dirname, '../../../node_modules'), path.join(ws, 'node_modules'));
  return ws;
}

const runs = (ws: string) => fs.readFileSync(path.join(ws, 'runs.log'), 'utf8').trim().split('\n');
const statuses = (r: { stages: { stage: string; status: string }[] }) => Object.fromEntries(r.stages.map((s) => [s.stage, s.status]));
const run = (ws: string, extra: Partial<Parameters<typeof runPipeline>[0]> = {}) => runPipeline({ workspace: ws, tracker: untracked, stdio: 'ignore', ...extra });

test('stages run in dependency order, then are skipped, re-run on change, and restored from the run cache', async () => {
  const ws = workspace('cache');
  const first = await run(ws);
  assert.equal(first.status, 'succeeded');
  assert.deepEqual(first.stages.map((s) => s.stage), ['prepare', 'train']);
  assert.deepEqual(statuses(first), { prepare: 'ran', train: 'ran' });
  assert.deepEqual(first.metrics, { accuracy: 0.7, 'nested.loss': 0.5 });
  assert.deepEqual(runs(ws), ['prepare', 'train']);

  assert.deepEqual(statuses(await run(ws)), { prepare: 'skipped', train: 'skipped' });

  fs.writeFileSync(path.join(ws, 'params.yaml'), 'train:\n  factor: 3\n');
  assert.match(stageChange(ws, parsePipeline(fs.readFileSync(path.join(ws, 'cairn.yaml'), 'utf8')).stages[0]!, readLock(lockFile(ws)).stages['train'])!, /param changed: train.factor/);
  assert.deepEqual(statuses(await run(ws)), { prepare: 'skipped', train: 'ran' });
  assert.equal(fs.readFileSync(path.join(ws, 'model/weights.json'), 'utf8'), '[3,6,9]');

  fs.writeFileSync(path.join(ws, 'params.yaml'), 'train:\n  factor: 2\n');
  const back = await run(ws);
  assert.deepEqual(statuses(back), { prepare: 'skipped', train: 'restored' });
  assert.equal(fs.readFileSync(path.join(ws, 'model/weights.json'), 'utf8'), '[2,4,6]');
  assert.deepEqual(runs(ws), ['prepare', 'train', 'train']); // the restore executed nothing

  fs.rmSync(path.join(ws, 'model'), { recursive: true });
  assert.deepEqual(statuses(await run(ws)), { prepare: 'skipped', train: 'restored' });
  assert.deepEqual(statuses(await run(ws, { force: true })), { prepare: 'ran', train: 'ran' });
  assert.deepEqual(statuses(await run(ws, { stage: 'prepare' })), { prepare: 'skipped' });
});

test('a failing stage stops the run; gates decide the outcome', async () => {
  const ws = workspace('gates', 'gates:\n  - metric: accuracy\n    op: ">="\n    value: 0.9\n');
  const r = await run(ws);
  assert.equal(r.status, 'gate_failed');
  assert.deepEqual(r.gates, [{ gate: 'accuracy >= 0.9', passed: false, detail: 'accuracy = 0.7' }]);
  fs.writeFileSync(path.join(ws, 'train.js'), 'process.exit(3)');
  const failed = await run(ws);
  assert.equal(failed.status, 'failed');
  assert.deepEqual(failed.stages.map((s) => [s.stage, s.status, s.exit_code]), [['prepare', 'skipped', undefined], ['train', 'failed', 3]]);
});

test('cairn.yaml validation: cycles, duplicate outs, bad fields', () => {
  const cyc = parsePipeline('stages:\n  a: {cmd: x, deps: [b.txt], outs: [a.txt]}\n  b: {cmd: y, deps: [a.txt], outs: [b.txt]}\n');
  assert.throws(() => executionOrder(cyc.stages), /cycle: a → b → a/);
  assert.throws(() => executionOrder(parsePipeline('stages:\n  a: {cmd: x, outs: [o]}\n  b: {cmd: y, outs: [o]}\n').stages), /out of both/);
  assert.throws(() => parsePipeline('stages:\n  a: {cmd: x, outs: [../o]}\n'), /inside the workspace/);
  assert.throws(() => parsePipeline('stages:\n  a: {command: x}\n'), /needs a cmd/);
  assert.throws(() => parsePipeline('stages: {}\n'), /no stages/);
  const spec = parsePipeline('stages:\n  a: {cmd: x, outs: [d/o.csv]}\n  b: {cmd: y, deps: [d], outs: [m]}\n  c: {cmd: z, deps: [m, d/o.csv]}\nmonitors:\n  - {name: m1, deployment: w, reference: d/o.csv, window: 1d, schedule: 10m, actions: [notify, retrain]}\n');
  assert.equal(dagText(spec.stages), 'a\na -> b\nb -> c\na -> c');
  assert.deepEqual(spec.monitors[0], { name: 'm1', deployment: 'w', reference: 'd/o.csv', window_ms: 86_400_000, every_ms: 600_000, drift_share: 0.5, method: undefined, actions: ['notify', 'retrain'] });
});
