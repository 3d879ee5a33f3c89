// Monitoring and pipelines in the extension host: a two-stage cairn.yaml pipeline run through Run
// Pipeline with the Pipeline view's statuses, Run Drift Report on two generated CSVs (one column
// shifted) opening the drift report panel, and the Monitors view listing cairn.yaml's monitor.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PipelineRunResult, StoredDriftReport } from '../../../backend/api/drift';
import type { CairnApi } from '../../../extension/extension';
import type { MonitorNode } from '../../../extension/monitors/monitors-tree';
import type { PipelineNode } from '../../../extension/pipelines/pipeline-tree';
import { driftCsvPair } from '../../helpers/drift-csv';
import { cairnApi, test, until, workspaceDir } from './host-test';

let api: CairnApi;
const file = (rel: string) => path.join(workspaceDir(), rel);

async function stageItems(): Promise<{ name: string; description: string; icon: string }[]> {
  const tree = api.services.pipeline;
  const nodes = (await tree.getChildren()).filter((n): n is PipelineNode & { kind: 'stage' } => n.kind === 'stage');
  return nodes.map((n) => {
    const item = tree.getTreeItem(n);
    return { name: String(item.label), description: String(item.description), icon: (item.iconPath as vscode.ThemeIcon).id };
  });
}

test('monitoring: the Pipeline view shows cairn.yaml stages in DAG order, Run Pipeline runs them', async () => {
  api = await cairnApi();
  fs.writeFileSync(file('mon-raw.csv'), 'x\n1\n2\n3\n');
  fs.writeFileSync(file('mon-prepare.js'), "require('fs').writeFileSync('mon-clean.csv', require('fs').readFileSync('mon-raw.csv','utf8'));\n");
  fs.writeFileSync(file('mon-train.js'), "const fs=require('fs');const n=fs.readFileSync('mon-clean.csv','utf8').trim().split('\\n').length-1;fs.writeFileSync('mon-metrics.json',JSON.stringify({rows:n}));\n");
  const { reference, current } = driftCsvPair(600, 2);
  fs.writeFileSync(file('drift-ref.csv'), reference);
  fs.writeFileSync(file('drift-cur.csv'), current);
  fs.writeFileSync(
    file('cairn.yaml'),
    `stages:
  train:
    cmd: '${process.execPath} mon-train.js'
    deps: [mon-train.js, mon-clean.csv]
    metrics: [mon-metrics.json]
  prepare:
    cmd: '${process.execPath} mon-prepare.js'
    deps: [mon-prepare.js, mon-raw.csv]
    outs: [mon-clean.csv]
gates:
  - {metric: rows, op: ">=", value: 1}
monitors:
  - {name: weather-watch, deployment: weather-e2e, reference: drift-ref.csv, window: 1h, schedule: 10m}
`,
  );
  await vscode.commands.executeCommand('cairn.pipeline.refresh');
  const before = await until('the pipeline stages', async () => {
    const s = await stageItems();
    return s.length === 2 ? s : undefined;
  });
  assert.deepEqual(before.map((s) => s.name), ['prepare', 'train'], 'topological order');
  assert.deepEqual(before.map((s) => s.description), ['changed', 'changed · after prepare']);
  assert.deepEqual(before.map((s) => s.icon), ['circle-filled', 'circle-filled']);

  const result = (await vscode.commands.executeCommand('cairn.pipeline.run')) as PipelineRunResult;
  assert.equal(result.status, 'succeeded', JSON.stringify(result));
  assert.deepEqual(result.stages.map((s) => [s.stage, s.status]), [['prepare', 'ran'], ['train', 'ran']]);
  const after = await until('stages up to date', async () => {
    const s = await stageItems();
    return s.every((x) => x.icon === 'pass') ? s : undefined;
  });
  assert.deepEqual(after.map((s) => s.description), ['up to date · last ran', 'up to date · last ran · after prepare']);
  const top = api.services.pipeline.getTreeItem((await api.services.pipeline.getChildren())[0]!);
  assert.equal(top.label, 'last run: succeeded (manual)');
  const trainNode = (await api.services.pipeline.getChildren()).find((n) => n.kind === 'stage' && n.stage.name === 'train')!;
  const details = (await api.services.pipeline.getChildren(trainNode)).map((n) => api.services.pipeline.getTreeItem(n));
  assert.deepEqual(details.map((d) => [d.label, d.description]), [['needs', 'prepare'], ['deps', 'mon-train.js, mon-clean.csv'], ['rows', '3']]);
});

test('monitoring: Run Drift Report on two CSVs opens the drift report panel with the shifted column drifting', async () => {
  const report = (await vscode.commands.executeCommand('cairn.drift.runReport', 'drift-ref.csv', vscode.Uri.file(file('drift-cur.csv')))) as StoredDriftReport;
  assert.ok(report, 'the command returned the report');
  assert.deepEqual(report.columns.filter((c) => c.drift_detected).map((c) => c.column), ['temp']);
  assert.equal(report.number_of_columns, 3);
  assert.equal(report.dataset_drift, false);
  assert.ok(api.services.panels.openKeys.includes(`drift:${report.id}`), `panel open: ${api.services.panels.openKeys.join(', ')}`);
  await until('the drift report webview loaded the report through its bridge', () => api.services.panels.servedRequests(`drift:${report.id}`).includes('driftReport'), 60_000);
  const stored = await api.services.backend.client!.getDriftReport(report.id);
  assert.equal(stored.share_of_drifted_columns, 1 / 3);
  const missing = await vscode.commands.executeCommand('cairn.drift.runReport', 'drift-ref.csv', 'no-such.csv');
  assert.equal(missing, undefined, 'a missing file is reported as an error, not a report');
});

test('monitoring: the Monitors view lists the cairn.yaml monitor and its status', async () => {
  const tree = api.services.monitors;
  const item = await until('monitor weather-watch waiting for traffic', async () => {
    await vscode.commands.executeCommand('cairn.monitors.refresh');
    const nodes: MonitorNode[] = await tree.getChildren();
    const it = nodes.map((n) => tree.getTreeItem(n)).find((i) => i.label === 'weather-watch');
    return it && String(it.description).startsWith('waiting for traffic') ? it : undefined;
  }, 20_000);
  assert.equal(item.description, 'waiting for traffic · weather-e2e · every 10m');
  assert.equal((item.iconPath as vscode.ThemeIcon).id, 'clock');
  assert.match(String(item.tooltip), /Deployment weather-e2e, reference drift-ref\.csv/);
  assert.deepEqual(tree.notifications, [], 'nothing drifts: no notification');
});
