// Drift reports whose sides are registered dataset versions (pushed with `cairn data push`) or
// workspace files, against a real server; bad dataset sources get clear 4xx errors.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { StoredDriftReport } from '../../backend/api/drift';
import { runCli } from '../helpers/cli';
import { driftCsvPair } from '../helpers/drift-csv';
import { commitAll, initRepo, writeFiles } from '../helpers/git-repo';
import { raw, startServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

const root = tmpDir('cairn-drift-ds-');
const repo = path.join(root, 'repo');

test('drift between two dataset versions, and between a dataset and a workspace file', async () => {
  const server = await startServerProcess(path.join(root, 'server', '.cairn'));
  const { reference, current } = driftCsvPair(800, 2);
  initRepo(repo);
  writeFiles(repo, { 'data/weather.csv': reference, 'data/folder/a.csv': reference });
  const add = await runCli(['data', 'add', 'data/weather.csv', 'data/folder'], { cwd: repo });
  assert.equal(add.code, 0, add.stderr);
  const v1 = commitAll(repo, 'v1');
  fs.writeFileSync(path.join(repo, 'data/weather.csv'), current);
  assert.equal((await runCli(['data', 'add', 'data/weather.csv'], { cwd: repo })).code, 0);
  commitAll(repo, 'v2');
  // push v1 (by its commit) and the working tree: the backend then holds both versions
  const remote = ['--remote', server.url, '--token', server.token];
  for (const args of [['--rev', v1], []]) {
    const push = await runCli(['data', 'push', ...args, ...remote], { cwd: repo });
    assert.equal(push.code, 0, push.stderr);
  }
  const versions = await server.client.getDataset('data/weather.csv');
  assert.equal(versions.length, 2, 'both versions registered');
  const older = versions.find((v) => v.git_commit === v1)!;
  const newer = versions.find((v) => v.git_commit !== v1)!;

  const r: StoredDriftReport = await server.client.createDriftReport({ reference: { dataset: 'data/weather.csv', version: v1.slice(0, 8) }, current: { dataset: 'data/weather.csv', version: newer.hash.slice(0, 12) } });
  assert.equal(r.reference.source, `dataset:data/weather.csv@${older.hash.slice(0, 12)}`);
  assert.equal(r.current.source, `dataset:data/weather.csv@${newer.hash.slice(0, 12)}`);
  assert.deepEqual(r.columns.filter((c) => c.drift_detected).map((c) => c.column), ['temp']);
  assert.equal(r.number_of_columns, 3);

  // newest version (no version given) against a file in the server's workspace: no drift
  fs.writeFileSync(path.join(root, 'server', 'current.csv'), current);
  const same = await server.client.createDriftReport({ reference: { dataset: 'data/weather.csv' }, current: { path: 'current.csv' } });
  assert.equal(same.number_of_drifted_columns, 0);
  assert.equal(same.dataset_drift, false);

  const bad = async (body: unknown) => raw(server, 'POST', '/api/cairn/v1/drift/reports', { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  const file = { path: 'current.csv' };
  for (const [body, status, message] of [
    [{ reference: { dataset: 'nope.csv' }, current: file }, 400, /No dataset 'nope.csv'/],
    [{ reference: { dataset: 'data/weather.csv', version: 'zz' }, current: file }, 400, /must be a hash or git commit/],
    [{ reference: { dataset: 'data/weather.csv', version: 'abcdef0' }, current: file }, 400, /has no version 'abcdef0'/],
    [{ reference: { dataset: 'data/folder' }, current: file }, 400, /is a folder/],
    [{ reference: { path: '../../etc/passwd' }, current: file }, 400, /outside the workspace/],
  ] as const) {
    const res = await bad(body);
    assert.equal(res.status, status, res.text);
    assert.match(String(res.json?.['message']), message);
  }
  await server.stop();
});
