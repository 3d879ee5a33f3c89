// Runs INSIDE the extension host of a real VS Code (code-server), loaded through the workbench's
// `?payload=` test route (../shared/reference/vscode-e2e.md §6). Bundled by extension-host.test.ts.
// Calls the real vscode API: commands, the CodeLens provider, the tree provider, diff documents.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Run } from '../../../backend/api/mlflow';
import { RUN_ARTIFACTS, RUN_TAGS } from '../../../backend/api/run-record';
import type { CairnApi } from '../../../extension/extension';
import { COMMAND_IDS } from '../../../extension/commands/command-ids';
import type { RunsNode } from '../../../extension/runs/runs-tree';
import { test, tests, until, workspaceDir } from './host-test';
// Feature suites register their tests on import, after this file's own (which activate the extension).

let api: CairnApi;
const ws = workspaceDir;
const client = () => api.services.backend.client!;
const ids: { exp?: string; a?: string; b?: string } = {};

test('the extension activates and exports its services', async () => {
  const ext = vscode.extensions.getExtension<CairnApi>('cairn.cairn');
  assert.ok(ext, 'extension cairn.cairn is installed');
  api = await ext.activate();
  assert.equal(ext.isActive, true);
  assert.equal(typeof api.activationMs, 'number');
  assert.ok(api.services.tree && api.services.codeLens);
});

test('every command is registered and contributed under the Cairn category', async () => {
  const registered = new Set(await vscode.commands.getCommands(true));
  for (const id of COMMAND_IDS) assert.ok(registered.has(id), `${id} is registered`);
  const contributed = vscode.extensions.getExtension('cairn.cairn')!.packageJSON.contributes.commands as { command: string; category: string }[];
  assert.deepEqual(contributed.map((c) => c.command).sort(), [...COMMAND_IDS].sort());
  assert.ok(contributed.every((c) => c.category === 'Cairn'));
});

test('Show Backend Info connects to (or starts) the local backend', async () => {
  const info = (await vscode.commands.executeCommand('cairn.backend.showInfo')) as { url: string; mode: string; store: string };
  assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(info.mode, 'local');
  assert.equal(info.store, path.join(ws(), '.cairn'));
});

test('the CodeLens provider puts Track this run above training scripts only', async () => {
  const train = vscode.Uri.file(path.join(ws(), 'train.js'));
  await vscode.workspace.openTextDocument(train);
  const lenses = await until('lenses on train.js', async () => {
    const l = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', train)) as vscode.CodeLens[];
    return l.filter((x) => x.command?.command.startsWith('cairn.')).length ? l : undefined;
  });
  const cairn = lenses.filter((x) => x.command?.command.startsWith('cairn.'));
  assert.deepEqual(cairn.map((l) => l.command!.title), ['▶ Track this run', 'Track with params…']);
  assert.deepEqual(cairn.map((l) => l.command!.command), ['cairn.track.run', 'cairn.track.runWithParams']);
  const plain = vscode.Uri.file(path.join(ws(), 'util.js'));
  fs.writeFileSync(plain.fsPath, 'export const add = (a, b) => a + b;\n');
  await vscode.workspace.openTextDocument(plain);
  const none = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', plain)) as vscode.CodeLens[];
  assert.equal(none.filter((x) => x.command?.command.startsWith('cairn.')).length, 0, 'no lens on a plain module');
  await vscode.workspace.getConfiguration('cairn').update('trackGlobs', ['util.js'], vscode.ConfigurationTarget.Workspace);
  const globbed = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', plain)) as vscode.CodeLens[];
  assert.equal(globbed.filter((x) => x.command?.command === 'cairn.track.run').length, 1, 'cairn.trackGlobs adds the lens');
  await vscode.workspace.getConfiguration('cairn').update('codeLens.enabled', false, vscode.ConfigurationTarget.Workspace);
  const off = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', train)) as vscode.CodeLens[];
  assert.equal(off.filter((x) => x.command?.command.startsWith('cairn.')).length, 0, 'cairn.codeLens.enabled=false hides them');
  await vscode.workspace.getConfiguration('cairn').update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Workspace);
  await vscode.workspace.getConfiguration('cairn').update('trackGlobs', undefined, vscode.ConfigurationTarget.Workspace);
});

async function makeRun(name: string, lr: string, loss: number): Promise<Run> {
  const c = client();
  ids.exp ??= await c.ensureExperiment('host-tests');
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ws(), encoding: 'utf8' }).trim();
  const run = await c.createRun({ experimentId: ids.exp, runName: name, tags: [{ key: RUN_TAGS.gitCommit, value: commit }] });
  await c.logBatch(run.info.run_id, { params: [{ key: 'lr', value: lr }, { key: 'epochs', value: '3' }], metrics: [{ key: 'loss', value: loss, step: 1, timestamp: Date.now() }] });
  return run;
}

const treeChildren = (node?: RunsNode) => api.services.tree.getChildren(node);
async function experimentNode(): Promise<RunsNode> {
  return until('the experiment in the tree', async () => (await treeChildren()).find((n) => n.kind === 'experiment' && n.experiment.name === 'host-tests'));
}
async function runNodes(): Promise<(RunsNode & { kind: 'run' })[]> {
  return (await treeChildren(await experimentNode())).filter((n): n is RunsNode & { kind: 'run' } => n.kind === 'run');
}

test('the Runs tree lists experiments → runs with stable ids, key metric, params tooltip and status', async () => {
  const a = await makeRun('alpha', '0.1', 0.5);
  ids.a = a.info.run_id;
  await experimentNode();
  const b = await makeRun('beta', '0.01', 0.7);
  ids.b = b.info.run_id;
  // beta arrives through the SSE stream, newest first.
  const runs = await until('both runs in the tree', async () => {
    const r = await runNodes();
    return r.length === 2 ? r : undefined;
  });
  assert.deepEqual(runs.map((n) => n.run.info.run_name), ['beta', 'alpha']);
  const item = api.services.tree.getTreeItem(runs[1]!);
  assert.equal(item.id, `/exp/${ids.exp}/run/${ids.a}`);
  assert.equal(item.label, 'alpha');
  assert.match(String(item.description), /loss=0\.5/);
  assert.match(String(item.tooltip), /lr = 0\.1/);
  assert.match(String(item.contextValue), /^cairn:run\+running\+unstarred\+active$/);
  assert.equal((item.iconPath as vscode.ThemeIcon).id, 'sync~spin');
});

test('live: a new metric and a finished status update only that run node', async () => {
  await client().logBatch(ids.a!, { metrics: [{ key: 'loss', value: 0.25, step: 2, timestamp: Date.now() }] });
  await client().updateRun(ids.a!, { status: 'FINISHED', endTime: Date.now() });
  await until('alpha finished with loss 0.25', async () => {
    const n = (await runNodes()).find((r) => r.run.info.run_id === ids.a);
    if (!n) return false;
    const item = api.services.tree.getTreeItem(n);
    return /loss=0\.25/.test(String(item.description)) && (item.iconPath as vscode.ThemeIcon).id === 'pass';
  });
});

test('star, rename, note and tag commands write the run record', async () => {
  await vscode.commands.executeCommand('cairn.run.star', ids.a);
  await vscode.commands.executeCommand('cairn.run.rename', ids.a, 'alpha-renamed');
  await vscode.commands.executeCommand('cairn.run.note', ids.a, 'a note');
  await vscode.commands.executeCommand('cairn.run.tag', ids.a, 'dataset=v2');
  const run = await client().getRun(ids.a!);
  const tag = (k: string) => run.data.tags.find((t) => t.key === k)?.value;
  assert.equal(tag(RUN_TAGS.starred), 'true');
  assert.equal(run.info.run_name, 'alpha-renamed');
  assert.equal(tag(RUN_TAGS.note), 'a note');
  assert.equal(tag('dataset'), 'v2');
  await until('the tree shows the new name and the star', async () => {
    const n = (await runNodes()).find((r) => r.run.info.run_id === ids.a);
    const item = n && api.services.tree.getTreeItem(n);
    return item && item.label === 'alpha-renamed' && String(item.description).startsWith('★') && /\+starred\+/.test(String(item.contextValue));
  });
  assert.equal(await vscode.commands.executeCommand('cairn.run.copyId', ids.a), ids.a);
  assert.equal(await vscode.env.clipboard.readText(), ids.a);
});

test('the filter command accepts MLflow syntax and narrows the tree', async () => {
  assert.equal(await vscode.commands.executeCommand('cairn.runs.filter', "params.lr = '0.1'"), "params.lr = '0.1'");
  const filtered = await until('only alpha', async () => {
    const r = await runNodes();
    return r.length === 1 ? r : undefined;
  });
  assert.equal(filtered[0]!.run.info.run_id, ids.a);
  await vscode.commands.executeCommand('cairn.runs.clearFilter');
  await until('both again', async () => (await runNodes()).length === 2);
  assert.equal(await vscode.commands.executeCommand('cairn.runs.sort', 'metrics.`loss` ASC'), 'metrics.`loss` ASC');
  const sorted = await runNodes();
  assert.deepEqual(sorted.map((n) => n.run.info.run_id), [ids.a, ids.b], 'lowest loss first');
  await vscode.commands.executeCommand('cairn.runs.sort', 'attributes.start_time DESC');
});

test('Diff Runs opens the diff editor between two YAML run summaries', async () => {
  const res = (await vscode.commands.executeCommand('cairn.runs.diff', [ids.a, ids.b])) as { left: string; right: string; title: string };
  const left = await vscode.workspace.openTextDocument(vscode.Uri.parse(res.left));
  const right = await vscode.workspace.openTextDocument(vscode.Uri.parse(res.right));
  assert.match(left.getText(), /params:\n {2}epochs: "3"\n {2}lr: "0\.1"/);
  assert.match(right.getText(), /lr: "0\.01"/);
  assert.match(left.getText(), /metrics:\n {2}loss: 0\.25/);
  const tab = await until('the diff tab', () => vscode.window.tabGroups.activeTabGroup.activeTab);
  assert.ok(tab.input instanceof vscode.TabInputTextDiff, 'the active tab is a text diff');
  assert.equal((tab.input as vscode.TabInputTextDiff).original.toString(), res.left);
});

test('Diff Run Code shows each run\'s commit plus its recorded uncommitted diff', async () => {
  const diffOf = (from: string, to: string) => `diff --git a/train.js b/train.js\n--- a/train.js\n+++ b/train.js\n@@ -4 +4 @@\n-${from}\n+${to}\n`;
  const original = fs.readFileSync(path.join(ws(), 'train.js'), 'utf8').split('\n')[3]!;
  const committed = execFileSync('git', ['show', 'HEAD:train.js'], { cwd: ws(), encoding: 'utf8' }).split('\n')[3]!;
  assert.ok(committed, 'line 4 of the committed train.js');
  const runA = await client().getRun(ids.a!);
  const runB = await client().getRun(ids.b!);
  await client().uploadArtifact(runA.info, RUN_ARTIFACTS.codeDiff, diffOf(committed, 'const lr = 0.1; // run A'));
  await client().uploadArtifact(runB.info, RUN_ARTIFACTS.codeDiff, diffOf(committed, 'const lr = 0.01; // run B'));
  const res = (await vscode.commands.executeCommand('cairn.runs.diffCode', [ids.a, ids.b])) as { files: string[] };
  assert.deepEqual(res.files, ['train.js']);
  const docA = await vscode.workspace.openTextDocument(api.services.runDocs.codeUri(ids.a!, 'train.js', 'run'));
  const docB = await vscode.workspace.openTextDocument(api.services.runDocs.codeUri(ids.b!, 'train.js', 'run'));
  assert.equal(docA.getText().split('\n')[3], 'const lr = 0.1; // run A');
  assert.equal(docB.getText().split('\n')[3], 'const lr = 0.01; // run B');
  assert.equal(docA.getText().split('\n')[4], original === committed ? docA.getText().split('\n')[4] : fs.readFileSync(path.join(ws(), 'train.js'), 'utf8').split('\n')[4], 'other lines are the commit\'s');
});

test('Open Run opens the run detail webview panel', async () => {
  const key = await vscode.commands.executeCommand('cairn.run.open', ids.a);
  assert.equal(key, `run:${ids.a}`);
  await until('a webview tab for the run', () =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label.includes('alpha-renamed')),
  );
  assert.ok(api.services.panels.openKeys.includes(`run:${ids.a}`));
  const compare = await vscode.commands.executeCommand('cairn.runs.compare', [ids.a, ids.b]);
  assert.match(String(compare), /^compare:/);
});

test('delete and restore change the lifecycle and the tree', async () => {
  await vscode.commands.executeCommand('cairn.run.delete', ids.b, { confirm: false });
  assert.equal((await client().getRun(ids.b!)).info.lifecycle_stage, 'deleted');
  await until('beta gone from the tree', async () => (await runNodes()).every((n) => n.run.info.run_id !== ids.b));
  await vscode.commands.executeCommand('cairn.run.restore', ids.b);
  await until('beta back', async () => (await runNodes()).some((n) => n.run.info.run_id === ids.b));
});

test('Track this run starts `cairn run` in a terminal', async () => {
  const res = (await vscode.commands.executeCommand('cairn.track.run', vscode.Uri.file(path.join(ws(), 'train.js')))) as { terminal: string };
  assert.equal(res.terminal, 'Cairn: train.js');
  assert.ok(vscode.window.terminals.some((t) => t.name === 'Cairn: train.js'));
});

export async function run(): Promise<void> {
  await registerFeatureSuites();
  const results: { name: string; ok: boolean; ms: number; error?: string }[] = [];
  for (const t of tests) {
    const started = Date.now();
    try {
      await t.fn();
      results.push({ name: t.name, ok: true, ms: Date.now() - started });
    } catch (err) {
      results.push({ name: t.name, ok: false, ms: Date.now() - started, error: (err as Error).stack ?? String(err) });
    }
  }
  const out = process.env['CAIRN_E2E_RESULTS'];
  if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
  const failed = results.filter((r) => !r.ok);
  if (failed.length) throw new Error(`${failed.length} extension-host test(s) failed: ${failed.map((f) => f.name).join('; ')}`);
}

/** Loaded after this file's tests are registered, so activation and the run fixtures come first. */
async function registerFeatureSuites(): Promise<void> {
  // one line per feature suite, e.g. await import('./models-suite');
  await import('./models-suite');
  await import('./datasets-suite');
  await import('./monitoring-suite');
}
