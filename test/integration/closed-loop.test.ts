// The monitoring loop on a real server: a monitor compares a deployment's logged traffic (2015
// weather) with the 2012–2013 reference, finds drift, notifies, retrains through cairn.yaml on the
// newer data, the gate passes and the champion alias moves — each step in the audit trail.
// (The deployment itself comes from the serving engine; here its prediction log is written in the
// serving engine's layout, .cairn/predictions/<deployment>/predictions-*.jsonl.)
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { ModelVersion } from '../../backend/api/mlflow';
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
fs.writeFileSync('metrics.json',JSON.stringify({accuracy:te.filter(r=>(r.t>bt)===r.sun).length/te.length,rows:d.length}));`,
);
fs.writeFileSync(
  path.join(ws, 'cairn.yaml'),
  `stages:
  train:
    cmd: '${process.execPath} train.js'
    deps: [train.js, data/train.csv]
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

  // 2015 traffic with predictions arrives; the newer data lands for retraining
  const logDir = path.join(ws, '.cairn/predictions/weather');
  fs.mkdirSync(logDir, { recursive: true });
  const cols = header.split(',');
  const now = Date.now();
  const traffic = rows
    .filter((l) => l >= '2015')
    .map((l, i) => {
      const v = l.split(',');
      const input = Object.fromEntries(['precipitation', 'temp_max', 'temp_min', 'wind'].map((k) => [k, Number(v[cols.indexOf(k)])]));
      return JSON.stringify({ id: `req-${i}`, time: now - 1000 + i, deployment: 'weather', model: 'weather', version: '1', inputs: [input], outputs: [{ prediction: input['temp_max']! > 20 ? 'sun' : 'rain' }] });
    });
  fs.writeFileSync(path.join(logDir, 'predictions-000001.jsonl'), traffic.join('\n') + '\n');
  fs.writeFileSync(path.join(ws, 'data/train.csv'), years('2013', '2016'));

  const finished = await until('the drift-triggered retraining', async () => (await c.audit()).find((e) => e.kind === 'retrain.finished' && e.trigger === 'drift'), 90_000);
  assert.equal(finished.monitor, 'weather-drift');
  assert.equal((finished.detail as { status: string }).status, 'succeeded');
  const v2 = await champion();
  assert.equal(v2.version, '2');
  const trained = await c.getRun(v2.run_id!);
  assert.equal(trained.data.metrics.find((m) => m.key === 'rows')?.value, 1095); // 2013–2015
  assert.equal(trained.data.tags.find((t) => t.key === 'cairn.trigger')?.value, 'drift');

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
  await server.stop();
});
