// The model card panel in headless Chromium (Debian's, via playwright-core), through the standalone
// dashboard's `#/model/<name>/<version>` route, against a real backend: a run logs params (one of
// them markup), metrics, git tags and a data version, uploads a model folder that declares its
// signature, and is registered. The card shows header, lineage, signature, metrics, params and
// files as text; its run link opens the run; it follows model.updated events live.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { ModelVersion, Run } from '../../backend/api/mlflow';
import type { ModelSignature } from '../../backend/api/registry';
import { ServingClient } from '../../backend/client/serving-client';
import { panelHtml } from '../../extension/webviews/webview-html';
import { requestsOverClient } from '../../webview-ui/hosts/client-requests';
import type { WebviewToHost } from '../../webview-ui/protocol/messages';
import { PANEL_REQUESTS } from '../../webview-ui/protocol/panels';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';
import { launchChromium, newPage } from './helpers/chromium';

const ws = tmpDir();
// No '/' in it: the native registry routes decode the path before matching (see the report).
const MODEL = 'weather <img src=x onerror=alert(1)>';
const MARKUP = '<b>x</b>';
const SIGNATURE: ModelSignature = {
  inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
  outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }, { name: 'label', datatype: 'BYTES', shape: [-1] }],
  columns: ['precipitation', 'temp_max', 'temp_min', 'wind'],
  labels: ['rain', 'sun', 'fog'],
  source: 'model',
};
let server: ServerProcess;
let sc: ServingClient;
let page: Page;
let problems: string[];
let run: Run;
let version: ModelVersion;

before(async () => {
  server = await startServerProcess(path.join(ws, '.cairn'), [], { CAIRN_FSYNC: '0' });
  const c = server.client;
  sc = new ServingClient(c);
  const tags = { 'mlflow.source.git.commit': '0123456789abcdef0123', 'mlflow.source.git.branch': 'main', 'cairn.git.dirty': 'true', 'cairn.command': '["python","train.py","--epochs","3"]' };
  run = await c.createRun({ experimentId: await c.ensureExperiment('card-exp'), runName: 'fit-weather', tags: Object.entries(tags).map(([key, value]) => ({ key, value })) });
  const id = run.info.run_id;
  await c.logBatch(id, {
    params: [{ key: 'lr', value: '0.01' }, { key: 'note', value: MARKUP }],
    metrics: [{ key: 'loss', value: 0.3125, step: 4, timestamp: Date.now() }, { key: 'accuracy', value: 0.875, step: 4, timestamp: Date.now() }],
  });
  await c.mlflow('POST', 'runs/log-inputs', { run_id: id, datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'train' }], dataset: { name: 'seattle-weather', digest: 'd1g3st', source_type: 'local', source: 'data/seattle-weather.csv' } }] });
  await c.uploadArtifact(run.info, 'model/cairn-model.yaml', 'command: ["node", "./predict.js"]\n');
  await c.uploadArtifact(run.info, 'model/predict.js', '// never started by this test\n');
  await c.uploadArtifact(run.info, 'model/signature.json', JSON.stringify(SIGNATURE));
  await c.updateRun(id, { status: 'FINISHED', endTime: Date.now() });
  version = await sc.registerModel(MODEL, `${run.info.artifact_uri}/model`, { runId: id });
  await sc.promote(MODEL, version.version, { alias: 'champion' });
  ({ page, problems } = await newPage(await launchChromium()));
  await page.goto(`${server.url}/?token=${encodeURIComponent(server.token)}#/model/${encodeURIComponent(MODEL)}/${version.version}`);
  await page.locator('cairn-model-card header').waitFor({ timeout: 15_000 }).catch((err: Error) => {
    throw new Error(`${err.message}\nproblems: ${problems.join('\n')}`);
  });
});

after(async () => {
  await server?.stop();
});

const card = () => page.locator('cairn-model-card');
const cells = (table: string) => card().locator(`table.${table} tr`).evaluateAll((trs) => trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));

test('the header shows name, version, aliases and status; the model name is text', async () => {
  assert.equal(await card().locator('.model-name').textContent(), MODEL);
  assert.equal(await card().locator('header img').count(), 0, 'the markup in the name is not an element');
  assert.equal(await card().locator('.version').textContent(), `version ${version.version}`);
  assert.deepEqual(await card().locator('.alias').allTextContents(), ['@champion']);
  assert.equal(await card().locator('header .status').textContent(), 'READY');
  assert.equal(await card().locator('.flavor').textContent(), 'process');
});

test('lineage: the run (with its id), experiment, commit, branch, dirty state, command and data versions', async () => {
  const lineage = card().locator('section.lineage');
  assert.equal(await lineage.locator('button.open-run').textContent(), 'fit-weather');
  assert.equal(await lineage.locator('.run-id').textContent(), run.info.run_id);
  assert.equal(await lineage.locator('.experiment').textContent(), 'card-exp');
  assert.equal((await lineage.locator('.code code').textContent())?.trim(), '0123456789ab on main (uncommitted changes)');
  assert.equal(await lineage.locator('.command code').textContent(), 'python train.py --epochs 3');
  assert.deepEqual(await cells('datasets'), [['seattle-weather', 'd1g3st', 'train', 'data/seattle-weather.csv']]);
});

test('signature tables for inputs and outputs (name, type, shape), columns and labels', async () => {
  const sig = card().locator('section.signature');
  assert.match((await sig.locator('h2').textContent())!, /declared by the model files/);
  assert.deepEqual(await cells('inputs'), [['features', 'FP32', '[-1, 4]']]);
  assert.deepEqual(await cells('outputs'), [['probabilities', 'FP32', '[-1, 3]'], ['label', 'BYTES', '[-1]']]);
  assert.equal(await sig.locator('.columns').textContent(), 'Columns: precipitation, temp_max, temp_min, wind');
  assert.equal(await sig.locator('.labels').textContent(), 'Labels: rain, sun, fog');
});

test('metrics and params tables sorted by key; a markup param value is shown as text; files listed', async () => {
  assert.deepEqual(await cells('metrics'), [['accuracy', '0.875', '4'], ['loss', '0.3125', '4']]);
  assert.deepEqual(await cells('params'), [['lr', '0.01'], ['note', MARKUP]]);
  assert.equal(await card().locator('table.params b').count(), 0, 'no <b> element was created');
  const files = (await cells('files')).map((r) => r[0]);
  assert.deepEqual(files.sort(), ['cairn-model.yaml', 'predict.js', 'signature.json']);
});

test('live: a model.updated event (description edited, alias added) refreshes the card', async () => {
  await server.client.mlflow('PATCH', 'model-versions/update', { name: MODEL, version: version.version, description: `retrained ${MARKUP}` });
  await card().locator('p.description').waitFor({ timeout: 10_000 });
  assert.equal(await card().locator('p.description').textContent(), `retrained ${MARKUP}`);
  await sc.promote(MODEL, version.version, { alias: 'production' });
  await page.waitForFunction(() => document.querySelector('cairn-dashboard')?.shadowRoot?.querySelector('cairn-model-card')?.shadowRoot?.querySelectorAll('.alias').length === 2, undefined, { timeout: 10_000 });
  assert.deepEqual((await card().locator('.alias').allTextContents()).sort(), ['@champion', '@production']);
});

test('the run link opens the run (the dashboard route of the run detail)', async () => {
  await card().locator('button.open-run').click();
  await page.waitForFunction((id) => location.hash === `#/run/${id}`, run.info.run_id, { timeout: 10_000 });
  await page.locator('cairn-run-detail').waitFor({ timeout: 10_000 });
  assert.deepEqual(problems, []);
});

test('in VS Code: the strict-CSP webview HTML renders the card through postMessage requests of its protocol', async () => {
  const DIST = path.resolve(__dirname, '..', '..', 'dist', 'webview');
  if (!fs.existsSync(path.join(DIST, 'vscode.js'))) throw new Error("dist/webview/vscode.js is missing: run 'npm run build'");
  const files = http.createServer((req, res) => {
    const origin = `http://${req.headers.host}`;
    if (req.url === '/') {
      res.setHeader('Content-Type', 'text/html');
      return res.end(panelHtml({ panel: 'model-card', state: { name: MODEL, version: version.version } }, { cspSource: origin, scriptUri: `${origin}/vscode.js`, styleUris: [`${origin}/panel.css`] }));
    }
    if (req.url === '/favicon.ico') return res.writeHead(204).end();
    const file = path.join(DIST, path.basename(req.url ?? ''));
    if (!fs.existsSync(file)) return res.writeHead(404).end();
    res.setHeader('Content-Type', file.endsWith('.js') ? 'text/javascript' : 'text/css');
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
  try {
    const { page: p, problems: pageProblems } = await newPage(await launchChromium());
    // What the extension's PanelBridge does: answer the requests of the panel's protocol with the typed client.
    const requests = requestsOverClient(server.client);
    const asked: string[] = [];
    const actions: string[] = [];
    await p.exposeFunction('cairnToHost', async (m: WebviewToHost) => {
      if (m.kind === 'action') actions.push(`${m.action}:${JSON.stringify(m.args)}`);
      if (m.kind !== 'request') return undefined;
      asked.push(m.method);
      if (!PANEL_REQUESTS['model-card'].includes(m.method)) return { kind: 'response', id: m.id, ok: false, error: `${m.method} is not part of the protocol` };
      const result = await (requests[m.method] as (...a: unknown[]) => Promise<unknown>)(...m.args);
      return { kind: 'response', id: m.id, ok: true, result };
    });
    await p.addInitScript({
      content: `window.acquireVsCodeApi = () => ({
        postMessage(m) { window.cairnToHost(m).then((r) => r && window.postMessage(r, '*')); },
        getState() { return undefined; },
        setState() {},
      });`,
    });
    await p.goto(`http://127.0.0.1:${(files.address() as AddressInfo).port}/`);
    const view = p.locator('cairn-model-card');
    await view.locator('table.params').waitFor({ timeout: 15_000 });
    assert.equal(await view.locator('.model-name').textContent(), MODEL);
    assert.deepEqual(await view.locator('table.params tr').evaluateAll((trs) => trs.slice(1).map((tr) => tr.lastElementChild?.textContent)), ['0.01', MARKUP]);
    assert.deepEqual([...new Set(asked)].sort(), ['experiments', 'modelCard']);
    await view.locator('button.open-run').click();
    await p.waitForFunction(() => true);
    assert.deepEqual(actions, [`openRun:${JSON.stringify([run.info.run_id])}`]);
    assert.deepEqual(pageProblems, [], 'no CSP violation or script error');
    await p.context().close();
  } finally {
    await new Promise<void>((r) => files.close(() => r()));
  }
});
