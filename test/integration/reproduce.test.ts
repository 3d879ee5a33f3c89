import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { ReproduceReport } from '../../backend/api/reproduce';
import { RUN_ARTIFACTS, RUN_TAGS } from '../../backend/api/run-record';
import { recordRunDatasets } from '../../backend/data/run-inputs';
import { runCli } from '../helpers/cli';
import { commitAll, git, initRepo } from '../helpers/git-repo';
import { ROOT, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

const root = tmpDir('cairn-reproduce-');
const WEATHER = path.join(process.env['CAIRN_ROOT'] ?? process.cwd(), 'node_modules/vega-datasets/data/seattle-weather.csv');

// A deterministic "training" script: fits temp_max ≈ a·temp_min + b by gradient descent on the
// tracked CSV and logs its params and metrics into the run named by MLFLOW_RUN_ID, over MLflow REST.
const TRAIN = `const fs = require('node:fs');
const EPOCHS = 40;
const lr = Number(process.argv[2]);
const rows = fs.readFileSync('data/train.csv', 'utf8').trim().split('\\n').slice(1).map((l) => l.split(','));
const xs = rows.map((r) => Number(r[3]) / 10), ys = rows.map((r) => Number(r[2]) / 10);
let a = 0, b = 0, loss = 0;
for (let e = 0; e < EPOCHS; e++) {
  let ga = 0, gb = 0; loss = 0;
  for (let i = 0; i < xs.length; i++) { const d = a * xs[i] + b - ys[i]; loss += d * d; ga += 2 * d * xs[i]; gb += 2 * d; }
  a -= lr * ga / xs.length; b -= lr * gb / xs.length; loss /= xs.length;
}
const body = { run_id: process.env.MLFLOW_RUN_ID, params: [{ key: 'lr', value: String(lr) }, { key: 'epochs', value: String(EPOCHS) }],
  metrics: [{ key: 'loss', value: loss, timestamp: Date.now(), step: EPOCHS }, { key: 'slope', value: a, timestamp: Date.now(), step: EPOCHS }, { key: 'rows', value: xs.length, timestamp: Date.now(), step: 0 }] };
fetch(process.env.MLFLOW_TRACKING_URI + '/api/2.0/mlflow/runs/log-batch', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + process.env.MLFLOW_TRACKING_TOKEN }, body: JSON.stringify(body) })
  .then((r) => { if (!r.ok) { console.error('log-batch failed', r.status); process.exit(1); } console.log('loss', loss); });
`;

describe('cairn reproduce', () => {
  let server: ServerProcess;
  const repo = path.join(root, 'project');
  let original: string;
  let commit: string;
  const env = () => ({ CAIRN_TRACKING_URI: server.url, CAIRN_TOKEN: server.token });

  before(async () => {
    server = await startServerProcess(path.join(root, 'team-server'));
    initRepo(repo);
    fs.mkdirSync(path.join(repo, 'data'));
    fs.writeFileSync(path.join(repo, 'train.js'), TRAIN);
    fs.copyFileSync(WEATHER, path.join(repo, 'data/train.csv'));
    assert.equal((await runCli(['data', 'add', 'data/train.csv'], { cwd: repo })).code, 0);
    commit = commitAll(repo, 'model and data');
    // An uncommitted change when the run starts: it lives only in the run's code diff.
    fs.writeFileSync(path.join(repo, 'train.js'), TRAIN.replace('const EPOCHS = 40;', 'const EPOCHS = 60;'));
    const tracked = await runCli(['run', '--name', 'original', '--', 'node', 'train.js', '0.05'], { cwd: repo, env: env() });
    assert.equal(tracked.code, 0, tracked.stderr);
    original = /\[cairn\] run original \(([0-9a-f]{32})\)/.exec(tracked.stderr)![1]!;
    const pushed = await runCli(['data', 'push', '--remote', server.url, '--token', server.token], { cwd: repo });
    assert.equal(pushed.code, 0, pushed.stderr);
  });

  it('recreates code, data and command of a run and gets identical metrics', async () => {
    // Six months later: the code and the data have moved on, and this machine's store is empty.
    git(repo, 'checkout', '--', 'train.js');
    fs.appendFileSync(path.join(repo, 'data/train.csv'), '2016-01-01,0.0,30.0,1.0,2.0,sun\n');
    assert.equal((await runCli(['data', 'add', 'data/train.csv'], { cwd: repo })).code, 0);
    commitAll(repo, 'more data');
    fs.rmSync(path.join(repo, '.cairn/objects'), { recursive: true });

    const r = await runCli(['reproduce', original, '--json'], { cwd: repo, env: env() });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const report = JSON.parse(r.stdout) as ReproduceReport;
    assert.equal(report.reproduced, true);
    assert.equal(report.code.identical, true, report.code.detail);
    assert.equal(report.data.identical, true);
    assert.equal(report.data.datasets[0]!.path, 'data/train.csv');
    assert.equal(report.params.identical, true);
    assert.deepEqual(report.metrics.metrics.map((m) => [m.key, m.status]), [['loss', 'equal'], ['rows', 'equal'], ['slope', 'equal']]);
    const again = await server.client.getRun(report.new_run_id);
    const tags = new Map(again.data.tags.map((t) => [t.key, t.value]));
    assert.equal(tags.get(RUN_TAGS.reproducedFrom), original);
    assert.equal(tags.get('cairn.reproduce.result'), 'identical');
    assert.equal(again.data.metrics.find((m) => m.key === 'rows')!.value, 1461, 'trained on the old data, not the row added since');
    assert.equal(again.data.params.find((p) => p.key === 'epochs')!.value, '60', 'with the uncommitted code change');
    assert.equal(fs.readFileSync(path.join(report.worktree, 'data/train.csv'), 'utf8'), fs.readFileSync(WEATHER, 'utf8'));
    git(repo, 'worktree', 'remove', '--force', report.worktree);
  });

  it('reproduces a tracked run of the scikit-learn example with identical metrics', async () => {
    const project = path.join(root, 'example-project');
    initRepo(project);
    fs.mkdirSync(path.join(project, 'data'));
    fs.copyFileSync(path.join(ROOT, 'examples/weather-sklearn/train.py'), path.join(project, 'train.py'));
    fs.copyFileSync(WEATHER, path.join(project, 'data/weather.csv'));
    assert.equal((await runCli(['data', 'add', 'data/weather.csv'], { cwd: project })).code, 0);
    commitAll(project, 'example');
    const argv = ['/usr/bin/python3', 'train.py', '--data', 'data/weather.csv', '--n-estimators', '30', '--seed', '7'];
    const tracked = await runCli(['run', '--name', 'sklearn', '--', ...argv], { cwd: project, env: env() });
    assert.equal(tracked.code, 0, tracked.stderr);
    const runId = /\[cairn\] run sklearn \(([0-9a-f]{32})\)/.exec(tracked.stderr)![1]!;
    const r = await runCli(['reproduce', runId, '--json'], { cwd: project, env: env() });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const report = JSON.parse(r.stdout) as ReproduceReport;
    assert.equal(report.reproduced, true, JSON.stringify(report, null, 2));
    assert.ok(report.metrics.metrics.some((m) => m.key === 'test_accuracy' && m.status === 'equal'), 'the parsed test accuracy is identical');
    assert.ok(report.metrics.metrics.every((m) => m.status === 'equal'));
    git(project, 'worktree', 'remove', '--force', report.worktree);
  });

  it('names what is missing: a commit not in the repository, data neither local nor on the backend', async () => {
    const noCommit = await recordRunTheWayCairnRunDoes(server, repo, ['node', 'train.js', '0.05'], 'f'.repeat(40), { skipData: true });
    const r1 = await runCli(['reproduce', noCommit], { cwd: repo, env: env() });
    assert.equal(r1.code, 1);
    assert.match(r1.stderr, new RegExp(`Commit ${'f'.repeat(40)} \\(recorded by run ${noCommit}\\) is not in the repository`));

    const noData = await recordRunTheWayCairnRunDoes(server, repo, ['node', 'train.js', '0.05'], commit, { skipData: true });
    const ghost = 'e'.repeat(64);
    await server.client.logInputs(noData, [{ tags: [], dataset: { name: 'data/train.csv', digest: ghost.slice(0, 32), source_type: 'cairn', source: JSON.stringify({ path: 'data/train.csv', hash: ghost, kind: 'file', size: 5, files: 1 }) } }]);
    const before = git(repo, 'worktree', 'list');
    const r2 = await runCli(['reproduce', noData], { cwd: repo, env: env() });
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /neither in the local store nor on http:\/\/127\.0\.0\.1:\d+: data\/train\.csv \(eeeeeeeeeeee…\)/);
    assert.equal(git(repo, 'worktree', 'list'), before, 'no worktree was created');

    const r3 = await runCli(['reproduce', 'ffffffffffffffffffffffffffffffff'], { cwd: repo, env: env() });
    assert.equal(r3.code, 1);
    assert.match(r3.stderr, /Run ffffffffffffffffffffffffffffffff does not exist/);
  });
});

/**
 * Records a run in the format `cairn run` writes (backend/api/run-record.ts) by hand, for records
 * `cairn run` would never make (a commit the repository lacks, data that was never pushed).
 */
async function recordRunTheWayCairnRunDoes(server: ServerProcess, repo: string, argv: string[], commit: string, opts: { skipData?: boolean } = {}): Promise<string> {
  const diff = git(repo, 'diff', '--binary', 'HEAD');
  const run = await server.client.createRun({
    experimentId: '0',
    runName: 'original',
    tags: [
      { key: RUN_TAGS.command, value: JSON.stringify(argv) },
      { key: RUN_TAGS.cwd, value: '.' },
      { key: RUN_TAGS.gitCommit, value: commit },
      { key: RUN_TAGS.gitDirty, value: diff ? 'true' : 'false' },
      { key: RUN_TAGS.launcher, value: 'cairn-run' },
    ],
  });
  if (diff) await server.client.uploadArtifact(run.info, RUN_ARTIFACTS.codeDiff, diff);
  if (!opts.skipData) assert.deepEqual(await recordRunDatasets(server.client, run.info.run_id, repo), []);
  const child = spawnSync(argv[0]!, argv.slice(1), {
    cwd: repo,
    env: { ...process.env, MLFLOW_TRACKING_URI: server.url, MLFLOW_TRACKING_TOKEN: server.token, MLFLOW_RUN_ID: run.info.run_id },
    encoding: 'utf8',
  });
  assert.equal(child.status, 0, child.stderr);
  await server.client.updateRun(run.info.run_id, { status: 'FINISHED', endTime: Date.now() });
  return run.info.run_id;
}
