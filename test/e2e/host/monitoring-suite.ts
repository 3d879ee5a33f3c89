// Monitoring and pipelines in the extension host: a two-stage cairn.yaml pipeline run through Run
// Pipeline with the Pipeline view's statuses, Run Drift Report on two generated CSVs (one column
// shifted) opening the drift report panel, the Monitors view listing cairn.yaml's monitor, and a
// deployed linear model whose shifted traffic turns its monitor drifting: tree, badge, notification.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PipelineRunResult, StoredDriftReport } from '../../../backend/api/drift';
import type { ModelVersion } from '../../../backend/api/mlflow';
import type { DeploymentStatus } from '../../../backend/api/serving';
import { ServingClient } from '../../../backend/client/serving-client';
import type { CairnApi } from '../../../extension/extension';
import type { MonitorNode } from '../../../extension/monitors/monitors-tree';
import type { PipelineNode } from '../../../extension/pipelines/pipeline-tree';
import { driftCsvPair } from '../../helpers/drift-csv';
import { cairnApi, test, until, workspaceDir } from './host-test';
import { fitLinear, linearData, linearPredict, uploadLinearModel } from './linear-model';

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

const LINEAR = 'mon-linear';
const WATCH = 'linear-watch';

async function monitorItem(name: string): Promise<vscode.TreeItem | undefined> {
  const tree = api.services.monitors;
  return (await tree.getChildren()).map((n) => tree.getTreeItem(n)).find((i) => i.label === name);
}

test('monitoring: shifted traffic on a deployed model turns its monitor drifting: tree, badge and notification', async () => {
  const c = api.services.backend.client!;
  const sc = new ServingClient(c);
  const tree = api.services.monitors;
  // A real model: fitted here, logged by a run, registered and deployed through the commands.
  const train = linearData(21, 1);
  const fit = fitLinear(train.xs, train.ys);
  const run = await c.createRun({ experimentId: await c.ensureExperiment('monitoring-e2e'), runName: 'linear-for-monitor' });
  await uploadLinearModel(c, run.info, fit);
  await c.updateRun(run.info.run_id, { status: 'FINISHED', endTime: Date.now() });
  const v = (await vscode.commands.executeCommand('cairn.model.register', run.info.run_id, { name: LINEAR })) as ModelVersion;
  const d = (await vscode.commands.executeCommand('cairn.model.deploy', { name: LINEAR, version: v.version }, { name: LINEAR })) as DeploymentStatus;
  assert.equal(d.name, LINEAR);
  await until('the deployment ready', async () => (await sc.deployment(LINEAR)).state === 'ready', 60_000);

  // Its monitor, against a reference of the training distribution (x in [0, 10)²).
  const yaml = fs.readFileSync(file('cairn.yaml'), 'utf8');
  const reference = linearData(3, 1, 300).xs;
  fs.writeFileSync(file('mon-linear-ref.csv'), ['x0,x1', ...reference.map((x) => x.join(','))].join('\n') + '\n');
  fs.writeFileSync(file('cairn.yaml'), `${yaml}  - {name: ${WATCH}, deployment: ${LINEAR}, reference: mon-linear-ref.csv, window: 1h, schedule: 1h, actions: [notify]}\n`);
  const waiting = await until(`monitor ${WATCH} checked (no traffic yet)`, async () => {
    await vscode.commands.executeCommand('cairn.monitors.refresh');
    const it = await monitorItem(WATCH);
    return it && !String(it.description).startsWith('not checked') ? it : undefined;
  }, 20_000);
  assert.equal(waiting.description, `waiting for traffic · ${LINEAR} · every 1h`);
  assert.equal(tree.badge, undefined, 'nothing drifts yet: no badge');

  // Traffic shifted by +6 on both features, through the deployment's MLflow endpoint.
  const shifted = linearData(5, 1, 300, 6).xs;
  for (const rows of [shifted.slice(0, 150), shifted.slice(150)]) {
    const res = await sc.invocations(LINEAR, { dataframe_split: { columns: ['x0', 'x1'], data: rows } });
    const got = res.predictions as number[];
    linearPredict(fit, rows).forEach((y, i) => assert.ok(Math.abs(got[i]! - y) < 1e-9, `row ${i}: ${got[i]} ≠ ${y}`));
  }
  await until('300 rows in the prediction log', async () => (await sc.predictions(LINEAR)).reduce((n, p) => n + p.inputs.length, 0) === 300);

  const checked = await c.checkMonitor(WATCH);
  assert.equal(checked.monitor.state, 'drift', JSON.stringify(checked.monitor));
  assert.deepEqual(checked.report!.columns.filter((col) => col.drift_detected).map((col) => col.column).sort(), ['x0', 'x1']);

  const item = await until(`monitor ${WATCH} drifting in the tree`, async () => {
    const it = await monitorItem(WATCH);
    return it && String(it.description).startsWith('drifting') ? it : undefined;
  });
  assert.equal(item.description, `drifting · ${LINEAR} · every 1h`);
  assert.equal((item.iconPath as vscode.ThemeIcon).id, 'warning');
  assert.equal(item.contextValue, 'cairn:monitor+drift+report');
  assert.deepEqual(item.command?.arguments, [checked.report!.id], 'clicking opens the report');
  const [first] = await tree.getChildren();
  assert.equal(first?.monitor.name, WATCH, 'drifting monitors first');
  assert.deepEqual(tree.badge, { value: 1, tooltip: '1 monitor drifting' });
  const raised = await until('the drift notification', () => tree.notifications.some((n) => n.monitor === WATCH) && tree.notifications);
  assert.deepEqual(raised, [{ monitor: WATCH, message: `Cairn: drift detected by monitor '${WATCH}' on deployment '${LINEAR}'.` }], 'one notification, for this monitor only');
  assert.ok((await c.audit({ monitor: WATCH })).some((e) => e.kind === 'notify'), 'the backend recorded the notify action');

  // Clean up: no deployment, the monitor gone from cairn.yaml and the view.
  assert.equal(await vscode.commands.executeCommand('cairn.deployment.undeploy', LINEAR, { confirm: false }), LINEAR);
  fs.writeFileSync(file('cairn.yaml'), yaml);
  await until(`monitor ${WATCH} gone, no badge`, async () => {
    await vscode.commands.executeCommand('cairn.monitors.refresh');
    return !(await monitorItem(WATCH)) && tree.badge === undefined;
  });
  await assert.rejects(sc.deployment(LINEAR), /RESOURCE_DOES_NOT_EXIST|not found/i);
  assert.equal(tree.notifications.length, 1, 'no further notification');
});
