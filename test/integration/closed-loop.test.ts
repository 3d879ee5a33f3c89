// The closed loop on a real server: a cairn.yaml pipeline trains the weather model on 2012–2013,
// promotes it to champion and it is deployed following that alias; 2015 traffic is replayed through
// the deployment's HTTP endpoint with ground-truth labels; the monitor compares the logged traffic
// with the reference, finds drift, notifies and retrains on the newer data; the gate passes, the
// alias moves and the deployment serves the new version — each step visible through the API.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { ModelVersion } from '../../backend/api/mlflow';
import { cairn } from '../helpers/cli';
import { CLI, ROOT, startServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

const ws = tmpDir();
const lines = fs.readFileSync(path.join(ROOT, 'node_modules/vega-datasets/data/seattle-weather.csv'), 'utf8').trim().split('\n');
const header = lines[0]!;
const rows = lines.slice(1);
const years = (from: string, to: string) => [header, ...rows.filter((l) => l >= from && l < to)].join('\n') + '\n';
fs.mkdirSync(path.join(ws, 'data'));
fs.writeFileSync(path.join(ws, 'data/reference.csv'), years('2012', '2014'));
fs.writeFileSync(path.join(ws, 'data/train.csv'), years('2012', '2014'));
// "training": the best temp_max threshold separating sun from the rest; accuracy on the last quarter
fs.writeFileSync(
  path.join(ws, 'train.js'),
  `const fs=require('fs');const [h,...ls]=fs.readFileSync('data/train.csv','utf8').trim().split('\\n');const c=h.split(',');
const d=ls.map(l=>{const v=l.split(',');return {t:Number(v[c.indexOf('temp_max')]),sun:v[c.indexOf('weather')]==='sun'}});
const cut=Math.floor(d.length*0.75);const tr=d.slice(0,cut),te=d.slice(cut);let best=0,bt=0;
for(let t=0;t<40;t+=0.5){const a=tr.filter(r=>(r.t>t)===r.sun).length/tr.length;if(a>best){best=a;bt=t}}
fs.mkdirSync('model',{recursive:true});fs.writeFileSync('model/model.json',JSON.stringify({threshold:bt,rows:d.length}));
fs.copyFileSync('predict.js','model/predict.js');
fs.writeFileSync('model/cairn-model.yaml','command: [${JSON.stringify(process.execPath)}, "./predict.js"]\\n');
fs.writeFileSync('metrics.json',JSON.stringify({accuracy:te.filter(r=>(r.t>bt)===r.sun).length/te.length,rows:d.length}));`,
);
// The served model: a process speaking Cairn's JSON-lines protocol (sun above the learned temp_max).
fs.writeFileSync(
  path.join(ws, 'predict.js'),
  `const { threshold } = require('./model.json');
const COLUMNS = ['precipitation', 'temp_max', 'temp_min', 'wind'];
console.log(JSON.stringify({ ready: true, signature: { inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 4] }], outputs: [{ name: 'predictions', datatype: 'BYTES', shape: [-1] }], columns: COLUMNS } }));
require('readline').createInterface({ input: process.stdin }).on('line', (l) => {
  const r = JSON.parse(l); const x = r.inputs[0]; const n = x.shape[0];
  const data = Array.from({ length: n }, (_, i) => (x.data[i * 4 + 1] > threshold ? 'sun' : 'rain'));
  console.log(JSON.stringify({ id: r.id, outputs: [{ name: 'predictions', datatype: 'BYTES', shape: [n], data }] }));
});
`,
);
fs.writeFileSync(
  path.join(ws, 'cairn.yaml'),
  `stages:
  train:
    cmd: '${process.execPath} train.js'
    deps: [train.js, predict.js, data/train.csv]
    outs: [model]
    metrics: [metrics.json]
gates:
  - {metric: accuracy, op: ">=", value: 0.5}
  - {compare: champion, model: weather, alias: champion, metric: accuracy, direction: higher, min_delta: -0.2}
promote: {model: weather, alias: champion, artifact: model}
monitors:
  - name: weather-drift
    deployment: weather
    reference: data/reference.csv
    window: 30d
    schedule: 1s
    actions: [notify, retrain]
retrain:
  on_drift: true
`,
);

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('drift on the deployment triggers retraining on newer data; the gate passes and the champion moves', async () => {
  const server = await startServerProcess(path.join(ws, '.cairn'), [], { CAIRN_MONITOR_TICK_MS: '200' });
  const c = server.client;
  const champion = async () => (await c.call<{ model_version: ModelVersion }>('GET', '/api/2.0/mlflow/registered-models/alias', { name: 'weather', alias: 'champion' })).model_version;

  const first = await c.runPipeline({ wait: true, trigger: 'initial' });
  assert.equal(first.result?.status, 'succeeded');
  assert.equal((await champion()).version, '1');

  const synced = await c.syncMonitors();
  assert.deepEqual(synced.monitors.map((m) => m.name), ['weather-drift']);
  // no traffic yet: the monitor waits
  const waiting = await c.checkMonitor('weather-drift');
  assert.equal(waiting.monitor.state, 'waiting');

  // The champion is deployed and follows the alias.
  const deployed = await cairn(server, ['deploy', 'weather@champion', '--name', 'weather'], { cwd: ws });
  assert.equal(deployed.code, 0, deployed.stderr);
  const servedVersion = async () => (await c.call<{ deployment: { version: string } }>('GET', '/api/cairn/v1/deployments/weather')).deployment.version;
  assert.equal(await servedVersion(), '1');

  // 2015 traffic arrives through the endpoint, and its labels come back as feedback.
  const cols = header.split(',');
  const y2015 = rows.filter((l) => l >= '2015').map((l) => l.split(','));
  for (let start = 0; start < y2015.length; start += 73) {
    const chunk = y2015.slice(start, start + 73);
    const records = chunk.map((v) => Object.fromEntries(['precipitation', 'temp_max', 'temp_min', 'wind'].map((k) => [k, Number(v[cols.indexOf(k)])])));
    const res = await fetch(`${server.url}/deployments/weather/invocations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ dataframe_records: records }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(((await res.json()) as { predictions: string[] }).predictions.length, chunk.length);
    const requestId = res.headers.get('x-request-id')!;
    await c.call('POST', '/api/cairn/v1/deployments/weather/feedback', { request_id: requestId, labels: chunk.map((v) => v[cols.indexOf('weather')]) });
  }
  fs.writeFileSync(path.join(ws, 'data/train.csv'), years('2013', '2016'));

  const finished = await until('the drift-triggered retraining', async () => (await c.audit()).find((e) => e.kind === 'retrain.finished' && e.trigger === 'drift'), 90_000);
  assert.equal(finished.monitor, 'weather-drift');
  assert.equal((finished.detail as { status: string }).status, 'succeeded');
  const v2 = await champion();
  assert.equal(v2.version, '2');
  const trained = await c.getRun(v2.run_id!);
  assert.equal(trained.data.metrics.find((m) => m.key === 'rows')?.value, 1095); // 2013–2015
  assert.equal(trained.data.tags.find((t) => t.key === 'cairn.trigger')?.value, 'drift');

  // The deployment follows the alias: version 2 is loaded, warmed up and serves.
  await until('the deployment to serve version 2', async () => ((await servedVersion()) === '2' ? true : undefined), 60_000);
  const res = await fetch(`${server.url}/v2/models/weather/infer`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 25, 15, 2] }] }),
  });
  const body = (await res.json()) as { model_version: string; outputs: { data: string[] }[] };
  assert.equal(body.model_version, '2');
  assert.equal(body.outputs[0]!.data.length, 1);

  const kinds: string[] = (await c.audit()).map((e) => e.kind).reverse();
  for (const k of ['monitor.check', 'monitor.drift', 'notify', 'retrain.started', 'retrain.finished']) assert.ok(kinds.includes(k), `${k} in ${kinds.join(', ')}`);
  assert.ok(kinds.indexOf('monitor.drift') < kinds.lastIndexOf('retrain.finished'));
  const reports = await c.listDriftReports({ monitor: 'weather-drift' });
  assert.ok(reports.length >= 1 && reports[0]!.dataset_drift);
  const monitors = (await c.listMonitors()).monitors;
  assert.equal(monitors[0]!.state, 'drift');
  const cli = spawnSync(process.execPath, [CLI, 'monitors', 'list'], { cwd: ws, env: { ...process.env, CAIRN_TRACKING_URI: server.url, CAIRN_TOKEN: server.token }, encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /^weather-drift {2}drift {2}deployment=weather/);

  // Retrain Now from the monitor: the monitor's name is in the audit trail; an unknown one is a 400.
  await assert.rejects(c.runPipeline({ trigger: 'retrain:nope', monitor: 'nope' }), (err: { status?: number; code?: string; message: string }) => err.status === 400 && err.code === 'INVALID_PARAMETER_VALUE' && /'monitor' must be the name of a monitor/.test(err.message));
  const manual = await c.runPipeline({ wait: true, trigger: 'retrain:weather-drift', monitor: 'weather-drift' });
  assert.ok(manual.result, 'the retraining reported its result');
  const manualEntries = (await c.audit({ monitor: 'weather-drift' })).filter((e) => e.trigger === 'retrain:weather-drift');
  assert.deepEqual(manualEntries.map((e) => [e.kind, e.monitor]).reverse(), [['retrain.started', 'weather-drift'], ['retrain.finished', 'weather-drift']]);
  assert.ok(!(await c.audit()).some((e) => e.trigger === 'retrain:nope'), 'the refused request left no audit entry');
  await server.stop();
});
