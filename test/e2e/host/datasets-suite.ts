// Datasets view and Reproduce Run, in the real extension host: a CSV versioned through the
// commands, committed twice, its history in the tree, the modified decoration, checkout of the older
// version, a diff of the two, push/pull through a second real backend, and a `cairn run` reproduced.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DataDiffReport, DataStatusReport } from '../../../backend/api/data';
import type { ReproduceReport } from '../../../backend/api/reproduce';
import { CairnClient } from '../../../backend/client/cairn-client';
import { discoverBackend, runningServer, storeDirOf } from '../../../backend/client/discovery';
import type { AddResult } from '../../../backend/data/add';
import type { CheckoutResult } from '../../../backend/data/checkout';
import type { PullReport } from '../../../backend/data/pull';
import type { PushReport } from '../../../backend/data/push';
import type { DatasetsNode } from '../../../extension/datasets/datasets-tree';
import type { CairnApi } from '../../../extension/extension';
import { cairnApi, test, until, workspaceDir } from './host-test';

const CSV = 'data/weather.csv';
let api: CairnApi;
const ws = workspaceDir;
const abs = (rel: string) => path.join(ws(), ...rel.split('/'));
const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', ...args], { cwd: ws(), encoding: 'utf8' }).trim();
const v1 = weatherCsv(40, false);
const v2 = weatherCsv(55, true);
const commits: { v1?: string; v2?: string } = {};

/** Generated data: `rows` days of temperature and wind (and, with `rain`, a rain column). */
function weatherCsv(rows: number, rain: boolean): string {
  const lines = [`date,temp,wind${rain ? ',rain' : ''}`];
  for (let i = 0; i < rows; i++) {
    const day = new Date(Date.UTC(2015, 0, 1 + i)).toISOString().slice(0, 10);
    lines.push(`${day},${(10 + 8 * Math.sin(i / 5)).toFixed(1)},${(i % 7) + 1.5}${rain ? `,${(i % 4) * 0.3}` : ''}`);
  }
  return lines.join('\n') + '\n';
}

const tree = () => api.services.datasets.tree;
const datasetNode = async () => (await tree().getChildren()).find((n): n is DatasetsNode & { kind: 'dataset' } => n.kind === 'dataset' && n.entry.path === CSV);
const versionNodesOf = async () => {
  const d = await datasetNode();
  return d ? (await tree().getChildren(d)).filter((n): n is DatasetsNode & { kind: 'version' } => n.kind === 'version') : [];
};

test('Datasets: Add Dataset versions a CSV; the tree lists it; a commit appears as its first version', async () => {
  api = await cairnApi();
  fs.mkdirSync(abs('data'), { recursive: true });
  fs.writeFileSync(abs(CSV), v1);
  const added = (await vscode.commands.executeCommand('cairn.datasets.add', CSV)) as AddResult[] | undefined;
  assert.ok(added, 'the add command returned its results');
  assert.equal(added[0]!.pointer, `${CSV}.cairn`);
  assert.equal(added[0]!.pointerData.tabular?.rows, 40);
  assert.ok(fs.existsSync(abs(`${CSV}.cairn`)), 'pointer written');
  assert.match(fs.readFileSync(abs('data/.gitignore'), 'utf8'), /weather\.csv/);
  const node = await until('the dataset node', datasetNode);
  const item = tree().getTreeItem(node);
  assert.equal(item.id, `/dataset/${CSV}`);
  assert.equal(item.contextValue, 'cairn:dataset+clean');
  assert.match(String(item.description), /40 rows/);
  assert.deepEqual((await tree().getChildren(node)).map((n) => n.kind), ['message'], 'uncommitted: no version yet');
  git('add', `${CSV}.cairn`, 'data/.gitignore');
  git('commit', '-qm', 'weather v1', '--', `${CSV}.cairn`, 'data/.gitignore');
  commits.v1 = git('rev-parse', 'HEAD');
  // The watcher on .git/refs refreshes the view after the commit.
  const versions = await until('v1 in the tree after the commit', async () => {
    const v = await versionNodesOf();
    return v.length === 1 ? v : undefined;
  });
  assert.equal(versions[0]!.version.commit, commits.v1);
  assert.equal(versions[0]!.current, true);
  assert.equal(tree().getTreeItem(versions[0]!).id, `/dataset/${CSV}@${commits.v1}`);
});

test('Datasets: editing the CSV decorates it as modified (file watch); a second version is added and committed', async () => {
  fs.writeFileSync(abs(CSV), v2);
  const uri = vscode.Uri.file(abs(CSV));
  await until('the modified decoration', () => api.services.datasets.decorations.stateOf(CSV) === 'modified', 20_000);
  const deco = api.services.datasets.decorations.provideFileDecoration(uri);
  assert.equal(deco?.badge, 'M');
  const node = await until('the dataset node marked modified', async () => ((await datasetNode())?.entry.state === 'modified' ? datasetNode() : undefined));
  assert.equal(tree().getTreeItem(node!).contextValue, 'cairn:dataset+modified');
  await vscode.commands.executeCommand('cairn.datasets.add', vscode.Uri.file(abs(CSV)));
  git('commit', '-qm', 'weather v2', '--', `${CSV}.cairn`);
  commits.v2 = git('rev-parse', 'HEAD');
  await until('the decoration cleared', () => api.services.datasets.decorations.stateOf(CSV) === undefined, 20_000);
  const versions = await until('two versions, newest first', async () => {
    const v = await versionNodesOf();
    return v.length === 2 ? v : undefined;
  });
  assert.deepEqual(versions.map((v) => v.version.subject), ['weather v2', 'weather v1']);
  assert.deepEqual(versions.map((v) => v.current), [true, false]);
  assert.deepEqual(versions.map((v) => v.version.pointer.tabular?.rows), [55, 40]);
});

test('Datasets: deleting the data decorates it as missing', async () => {
  fs.rmSync(abs(CSV));
  await until('the missing decoration', () => api.services.datasets.decorations.stateOf(CSV) === 'missing', 20_000);
  assert.equal(api.services.datasets.decorations.provideFileDecoration(vscode.Uri.file(abs(CSV)))?.badge, '!');
  const restored = (await vscode.commands.executeCommand('cairn.datasets.checkout', { path: CSV })) as CheckoutResult[];
  assert.equal(restored[0]!.written, 1);
  assert.equal(fs.readFileSync(abs(CSV), 'utf8'), v2);
});

test('Datasets: Checkout Version restores the earlier version (data and pointer), and back', async () => {
  const older = (await versionNodesOf()).find((v) => v.version.commit === commits.v1)!;
  const res = (await vscode.commands.executeCommand('cairn.datasets.checkout', older, [older])) as CheckoutResult[];
  assert.ok(res, 'checkout returned its results');
  assert.deepEqual(res.map((r) => [r.path, r.written, r.pointerUpdated]), [[CSV, 1, true]]);
  assert.equal(fs.readFileSync(abs(CSV), 'utf8'), v1, 'exact bytes of v1');
  assert.equal(older.version.pointer.hash, parsePointerHash(fs.readFileSync(abs(`${CSV}.cairn`), 'utf8')), 'pointer names v1');
  await until('v1 marked current', async () => (await versionNodesOf()).find((v) => v.current)?.version.commit === commits.v1);
  await vscode.commands.executeCommand('cairn.datasets.checkout', { path: CSV, rev: 'HEAD' });
  assert.equal(fs.readFileSync(abs(CSV), 'utf8'), v2);
  assert.equal(git('status', '--porcelain', '--', `${CSV}.cairn`), '', 'pointer back to the committed one');
});

function parsePointerHash(text: string): string {
  const m = /hash:\s*([0-9a-f]{64})/.exec(text);
  assert.ok(m, `a hash in the pointer:\n${text}`);
  return m[1]!;
}

test('Datasets: Diff Versions compares two versions (rows, schema, column stats) in a webview panel', async () => {
  const versions = await versionNodesOf();
  const res = (await vscode.commands.executeCommand('cairn.datasets.diff', versions[0], versions)) as { report: DataDiffReport; panel: string };
  assert.ok(res, 'diff returned its report');
  const r = res.report;
  assert.equal(r.a, commits.v1, 'older version first');
  assert.equal(r.b, commits.v2);
  assert.equal(r.identical, false);
  const t = r.files[0]!.tabular!;
  assert.equal(t.rows_a, 40);
  assert.equal(t.rows_b, 55);
  assert.deepEqual(t.schema.map((c) => [c.column, c.change]), [['rain', 'added']]);
  assert.ok(t.columns.some((c) => c.column === 'temp' && c.a && c.b), 'per-column statistics of both versions');
  assert.ok(api.services.panels.openKeys.includes(res.panel), `panel ${res.panel} open`);
  // A single version against the data on disk.
  const againstDisk = (await vscode.commands.executeCommand('cairn.datasets.diff', versions[0])) as { report: DataDiffReport };
  assert.equal(againstDisk.report.b, 'workspace');
  assert.equal(againstDisk.report.identical, true);
});

test('Datasets: Push then Pull through a second real backend restores data missing locally', async () => {
  const remoteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-e2e-remote-'));
  const env = { ...process.env };
  delete env['CAIRN_TRACKING_URI'];
  delete env['CAIRN_TOKEN'];
  const remote = await discoverBackend({ workspace: remoteDir, nodePath: process.execPath, cliPath: api.services.backend.cliPath, env: { ELECTRON_RUN_AS_NODE: '1' } }, env);
  try {
    const spec = { url: remote.url, token: remote.token };
    const pushed = (await vscode.commands.executeCommand('cairn.datasets.push', { paths: [CSV], remote: spec })) as PushReport;
    assert.ok(pushed, 'push returned its report');
    assert.equal(pushed.uploaded, 1);
    assert.equal(pushed.datasets, 1);
    const versions = await new CairnClient(spec).getDataset(CSV);
    assert.equal(versions.length, 1);
    // Lose the data and its object locally: only the remote has it now.
    const hash = parsePointerHash(fs.readFileSync(abs(`${CSV}.cairn`), 'utf8'));
    const object = path.join(ws(), '.cairn', 'objects', hash.slice(0, 2), hash.slice(2));
    assert.ok(fs.existsSync(object), `object at ${object}`);
    fs.rmSync(object);
    fs.rmSync(abs(CSV));
    const pulled = (await vscode.commands.executeCommand('cairn.datasets.pull', { paths: [CSV], remote: spec })) as PullReport;
    assert.ok(pulled, 'pull returned its report');
    assert.equal(pulled.downloaded, 1);
    assert.equal(fs.readFileSync(abs(CSV), 'utf8'), v2);
    assert.ok(fs.existsSync(object), 'object back in the local store');
    await until('clean again', async () => ((await vscode.commands.executeCommand('cairn.datasets.refresh')) as DataStatusReport).entries.every((e) => e.state === 'clean'));
  } finally {
    const rec = await runningServer(storeDirOf(remoteDir));
    if (rec) process.kill(rec.pid, 'SIGTERM');
    await until('remote server stopped', async () => !(await runningServer(storeDirOf(remoteDir))), 10_000).catch(() => undefined);
    fs.rmSync(remoteDir, { recursive: true, force: true });
  }
});

test('Reproduce Run re-runs a `cairn run` run from its commit, diff and data, and shows the comparison', async () => {
  const client = api.services.backend.client!;
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_RUN_AS_NODE: '1', CAIRN_TRACKING_URI: client.url };
  if (api.services.backend.token) env['CAIRN_TOKEN'] = api.services.backend.token;
  const child = spawn(process.execPath, [api.services.backend.cliPath, 'run', '--experiment', 'datasets-e2e', '--', process.execPath, 'train.js'], { cwd: ws(), env, stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, 'cairn run succeeded');
  const expId = await client.ensureExperiment('datasets-e2e');
  const runs = await client.searchRuns({ experiment_ids: [expId] });
  assert.equal(runs.runs.length, 1);
  const original = runs.runs[0]!;
  const res = (await vscode.commands.executeCommand('cairn.run.reproduce', original.info.run_id)) as { report: ReproduceReport; document: string } | undefined;
  assert.ok(res, 'reproduce returned its report (see the Cairn Reproduce output)');
  const r = res.report;
  assert.equal(r.original_run_id, original.info.run_id);
  assert.equal(r.exit_code, 0);
  assert.deepEqual(r.data.datasets.map((d) => [d.path, d.identical]), [[CSV, true]]);
  assert.equal(r.params.identical, true);
  assert.ok(r.metrics.metrics.some((m) => m.key === 'loss' && m.status === 'equal'), JSON.stringify(r.metrics));
  assert.equal(r.reproduced, true, JSON.stringify(r));
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === res.document);
  assert.ok(doc, 'the report document is open');
  assert.match(doc.getText(), /^# Reproduced: run/);
  const again = await client.getRun(r.new_run_id);
  assert.equal(again.data.tags.find((t) => t.key === 'cairn.reproduced_from')?.value, original.info.run_id);
  execFileSync('git', ['worktree', 'remove', '--force', r.worktree], { cwd: ws() });
});
