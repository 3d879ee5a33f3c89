// Drift reports over HTTP against a real server process, and `cairn drift` as a real CLI process.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { DriftReport } from '../../backend/api/drift';
import { CLI, raw, ROOT, startServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

const workspace = tmpDir();
const weather = fs.readFileSync(path.join(ROOT, 'node_modules/vega-datasets/data/seattle-weather.csv'), 'utf8').trim().split('\n');
const header = weather[0]!;
fs.writeFileSync(path.join(workspace, 'ref.csv'), [header, ...weather.slice(1).filter((l) => l < '2014')].join('\n'));
fs.writeFileSync(path.join(workspace, 'cur.csv'), [header, ...weather.slice(1).filter((l) => l >= '2015')].join('\n'));

test('POST /api/cairn/v1/drift/reports runs, stores and lists a report', async () => {
  const server = await startServerProcess(path.join(workspace, '.cairn'));
  const report = await server.client.createDriftReport({ reference: { path: 'ref.csv' }, current: { path: 'cur.csv' } });
  assert.equal(report.number_of_columns, 5);
  assert.equal(report.dataset_drift, true);
  const temp = report.columns.find((c) => c.column === 'temp_max')!;
  assert.equal(temp.stattest, 'ks');
  assert.ok(Math.abs(temp.drift_score - 0.0024558035719175956) < 1e-12); // scipy ks_2samp
  const listed = await server.client.listDriftReports();
  assert.equal(listed[0]!.id, report.id);
  const again = await server.client.getDriftReport(report.id);
  assert.deepEqual(again.columns.map((c) => c.drift_score), report.columns.map((c) => c.drift_score));

  const outside = await raw(server, 'POST', '/api/cairn/v1/drift/reports', { body: JSON.stringify({ reference: { path: '../../etc/passwd' }, current: { path: 'cur.csv' } }) });
  assert.equal(outside.status, 400);
  assert.match(String(outside.json?.['message']), /outside the workspace/);
  const badMethod = await raw(server, 'POST', '/api/cairn/v1/drift/reports', { body: JSON.stringify({ reference: { path: 'ref.csv' }, current: { path: 'cur.csv' }, method: 'ks' }) });
  assert.equal(badMethod.status, 400);
  assert.match(String(badMethod.json?.['message']), /isn't applicable to categorical/);
  const missingSide = await raw(server, 'POST', '/api/cairn/v1/drift/reports', { body: JSON.stringify({ reference: { path: 'ref.csv' } }) });
  assert.equal(missingSide.status, 400);
  const unknown = await raw(server, 'GET', '/api/cairn/v1/drift/reports/nope');
  assert.equal(unknown.status, 404);
  const noDataset = await raw(server, 'POST', '/api/cairn/v1/drift/reports', { body: JSON.stringify({ reference: { dataset: 'weather' }, current: { path: 'cur.csv' } }) });
  assert.equal(noDataset.status, 400);
  await server.kill();
  // acknowledged reports survive kill -9
  const restarted = await startServerProcess(path.join(workspace, '.cairn'));
  assert.equal((await restarted.client.getDriftReport(report.id)).id, report.id);
  await restarted.stop();
});

test('cairn drift --json prints the report and exits 3 on dataset drift', () => {
  const r = spawnSync(process.execPath, [CLI, 'drift', '--reference', 'ref.csv', '--current', 'cur.csv', '--columns', 'wind,weather', '--json'], { cwd: workspace, encoding: 'utf8' });
  assert.equal(r.status, 3, r.stderr);
  const report = JSON.parse(r.stdout) as DriftReport;
  assert.deepEqual(report.columns.map((c) => [c.column, c.column_type, c.stattest, c.drift_detected]), [['wind', 'num', 'ks', false], ['weather', 'cat', 'chisquare', true]]);
  for (const key of ['dataset_drift', 'drift_share', 'number_of_columns', 'number_of_drifted_columns']) assert.ok(key in report, key);
  for (const key of ['column', 'column_type', 'stattest', 'threshold', 'drift_score', 'drift_detected', 'reference', 'current', 'histogram']) assert.ok(key in report.columns[0]!, key);
  const bad = spawnSync(process.execPath, [CLI, 'drift', '--reference', 'ref.csv', '--current', 'nope.csv'], { cwd: workspace, encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /No such file/);
  const usage = spawnSync(process.execPath, [CLI, 'drift', '--reference', 'ref.csv'], { cwd: workspace, encoding: 'utf8' });
  assert.equal(usage.status, 2);
});
