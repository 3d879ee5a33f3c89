import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { OipInferResponse } from '../../backend/api/serving';
import type { QualityReport } from '../../backend/api/drift';
import { ServingClient } from '../../backend/client/serving-client';
import { TfjsRuntime } from '../../backend/serving/runtimes/tfjs-runtime';
import { cairn } from '../helpers/cli';
import { underLoad, waitFor } from '../helpers/load';
import { FEATURES, trainWeatherTfjs, weatherCsvPath, weatherRows } from '../helpers/models';
import { publishModel } from '../helpers/registry';
import { raw, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

const root = tmpDir();
const storeDir = path.join(root, 'store');
const v1Dir = path.join(root, 'v1');
const v2Dir = path.join(root, 'v2');
const rows = weatherRows();
const features = (i: number) => FEATURES.map((f) => rows[i % rows.length]![f as 'wind']);
let server: ServerProcess;
let sc: ServingClient;
let ref1: TfjsRuntime;
let ref2: TfjsRuntime;

/** The in-process prediction of a row: what the served model must answer. */
async function expected(rt: TfjsRuntime, rowIdx: number[]): Promise<number[][]> {
  const out = await rt.predict([{ name: 'x', datatype: 'FP32', shape: [rowIdx.length, 4], data: rowIdx.flatMap(features) }]);
  const d = out[0]!.data as number[];
  return rowIdx.map((_, r) => d.slice(r * 5, r * 5 + 5));
}

function close(actual: unknown, wanted: number[][], what: string): void {
  const a = actual as number[][];
  assert.equal(a.length, wanted.length, `${what}: row count`);
  a.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - wanted[i]![j]!) < 1e-5, `${what}: row ${i}[${j}] ${v} ≠ ${wanted[i]![j]}`)));
}

const oipRows = (res: OipInferResponse): number[][] => {
  const o = res.outputs[0]!;
  return Array.from({ length: o.shape[0]! }, (_, i) => (o.data as number[]).slice(i * o.shape[1]!, (i + 1) * o.shape[1]!));
};
const oipBody = (idx: number[], id?: string) => ({ ...(id ? { id } : {}), inputs: [{ name: 'x', shape: [idx.length, 4], datatype: 'FP32' as const, data: idx.flatMap(features) }] });
const post = (p: string, body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) => raw(server, 'POST', p, { body, headers });

before(async () => {
  await trainWeatherTfjs(v1Dir, { epochs: 4, seed: 1 });
  await trainWeatherTfjs(v2Dir, { epochs: 4, seed: 2, hidden: 16 });
  ref1 = await TfjsRuntime.load(v1Dir, 'tfjs-layers');
  ref2 = await TfjsRuntime.load(v2Dir, 'tfjs-layers');
  server = await startServerProcess(storeDir);
  sc = new ServingClient(server.client);
  await publishModel(server.client, v1Dir, { name: 'weather', metrics: { accuracy: 0.8 } });
  await publishModel(server.client, v2Dir, { name: 'weather', metrics: { accuracy: 0.82 } });
  await sc.setAlias('weather', 'champion', '1');
  const r = await cairn(server, ['deploy', 'weather@champion', '--name', 'weather']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /weather: weather@champion → version 1 \[ready\]/);
});
after(() => server?.stop());

describe('serving a TF.js model', () => {
  it('answers the Open Inference Protocol: health, metadata, readiness, inference by deployment and version', async () => {
    assert.deepEqual((await raw(server, 'GET', '/v2/health/live', { token: null })).json, { live: true });
    assert.equal((await raw(server, 'GET', '/v2/health/ready', { token: null })).status, 200);
    assert.equal((await raw(server, 'GET', '/v2/models/weather', { token: null })).status, 401, 'inference needs the token');
    const meta = await sc.modelMetadata('weather');
    assert.equal(meta.platform, 'tensorflowjs_layers');
    assert.deepEqual(meta.versions, ['1']);
    assert.deepEqual(meta.inputs[0]?.shape, [-1, 4]);
    assert.deepEqual((await raw(server, 'GET', '/v2/models/weather/ready')).json, { name: 'weather', ready: true });
    const res = await sc.infer('weather', oipBody([0, 1, 2], 'abc'));
    assert.equal(res.id, 'abc');
    assert.equal(res.model_version, '1');
    assert.deepEqual(res.outputs[0]?.shape, [3, 5]);
    close(oipRows(res), await expected(ref1, [0, 1, 2]), 'OIP');
    close(oipRows(await sc.infer('weather', oipBody([5]), '1')), await expected(ref1, [5]), 'OIP by version');
    const nested = await post('/v2/models/weather/infer', JSON.stringify({ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP64', data: [features(7)] }] }));
    assert.equal(nested.status, 200, nested.text);
    const wrongVersion = await post('/v2/models/weather/versions/9/infer', JSON.stringify(oipBody([0])));
    assert.equal(wrongVersion.status, 404);
    assert.match(String(wrongVersion.json?.['error']), /does not serve version 9/);
  });

  it('answers MLflow scoring: dataframe_split, dataframe_records, instances, inputs and CSV agree', async () => {
    const idx = [10, 11];
    const want = await expected(ref1, idx);
    const records = idx.map((i) => Object.fromEntries(FEATURES.map((f, k) => [f, features(i)[k]])));
    const bodies: Record<string, unknown>[] = [
      { dataframe_split: { columns: FEATURES, data: idx.map(features) } },
      { dataframe_split: { columns: [...FEATURES].reverse(), data: idx.map((i) => [...features(i)].reverse()) } },
      { dataframe_records: records },
      { instances: idx.map(features) },
      { instances: records },
      { inputs: idx.map(features) },
      { inputs: Object.fromEntries(FEATURES.map((f, k) => [f, idx.map((i) => features(i)[k])])) },
    ];
    for (const b of bodies) close((await sc.invocations('weather', b)).predictions, want, Object.keys(b)[0]!);
    const csv = `wind,temp_min,temp_max,precipitation\n${idx.map((i) => [...features(i)].reverse().join(',')).join('\n')}\n`;
    const viaCsv = await post('/deployments/weather/invocations', csv, { 'Content-Type': 'text/csv' });
    assert.equal(viaCsv.status, 200, viaCsv.text);
    close(viaCsv.json?.['predictions'], want, 'CSV');
    assert.ok(viaCsv.headers['x-request-id'], 'responses carry X-Request-Id');
    const atRoot = await post('/invocations', JSON.stringify(bodies[0]));
    assert.equal(atRoot.status, 200, 'the root /invocations serves the only deployment');
    assert.equal((await raw(server, 'GET', '/deployments/weather/ping')).text, '\n');
    assert.equal((await raw(server, 'GET', '/ping')).status, 200);
  });

  it('refuses bad payloads with a 400 that says what was expected', async () => {
    const cases: [string, string, Record<string, string> | undefined, number, RegExp][] = [
      ['/deployments/weather/invocations', '[[1,2,3,4]]', undefined, 400, /Received a list; expected a JSON object with exactly one of dataframe_split/],
      ['/deployments/weather/invocations', '{"dataframe_split": ', undefined, 400, /not valid JSON/],
      ['/deployments/weather/invocations', '{"rows": []}', undefined, 400, /None of the accepted keys/],
      ['/deployments/weather/invocations', JSON.stringify({ instances: [[1]], inputs: [[1]] }), undefined, 400, /Several \(instances, inputs\)/],
      ['/deployments/weather/invocations', JSON.stringify({ dataframe_records: [{ precipitation: 1, temp_max: 2, temp_min: 3 }] }), undefined, 400, /Missing column\(s\) 'wind'; the model expects columns precipitation, temp_max, temp_min, wind/],
      ['/deployments/weather/invocations', JSON.stringify({ dataframe_records: [{ precipitation: 'abc', temp_max: 2, temp_min: 3, wind: 1 }] }), undefined, 400, /Invalid value "abc" at row 0, column 'precipitation': expected a number/],
      ['/deployments/weather/invocations', JSON.stringify({ instances: [[1, 2, 3]] }), undefined, 400, /instances has shape \[1, 3\]; input '.*' expects \[-1, 4\]/],
      ['/deployments/weather/invocations', 'a,b\n1,2\n', { 'Content-Type': 'text/plain' }, 415, /send application\/json or text\/csv/],
      ['/v2/models/weather/infer', '{}', undefined, 400, /'inputs' must be a non-empty list of tensors/],
      ['/v2/models/weather/infer', 'not json', undefined, 400, /Malformed JSON/],
      ['/v2/models/weather/infer', JSON.stringify({ inputs: [{ name: 'x', shape: [2, 3], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6] }] }), undefined, 400, /shape \[2, 3\] does not fit '.*' FP32 \[-1, 4\]/],
      ['/v2/models/weather/infer', JSON.stringify({ inputs: [{ name: 'x', shape: [2, 4], datatype: 'FP32', data: [1, 2, 3] }] }), undefined, 400, /shape \[2, 4\] needs 8 values, got 3/],
      ['/v2/models/weather/infer', JSON.stringify({ inputs: [{ name: 'x', shape: [1, 4], datatype: 'BYTES', data: ['a', 'b', 'c', 'd'] }] }), undefined, 400, /datatype BYTES does not fit/],
      ['/v2/models/weather/infer', JSON.stringify({ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP99', data: [1, 2, 3, 4] }] }), undefined, 400, /'datatype' must be one of BOOL/],
      ['/v2/models/nope/infer', JSON.stringify(oipBody([0])), undefined, 404, /No deployment named 'nope'/],
    ];
    for (const [p, body, headers, status, message] of cases) {
      const r = await post(p, body, headers);
      assert.equal(r.status, status, `${p} ${body.slice(0, 60)} → ${r.status} ${r.text}`);
      const text = String(r.json?.['error'] ?? r.json?.['message']);
      assert.match(text, message, `${p} ${body.slice(0, 60)}`);
    }
  });

  it('batches concurrent requests and returns each caller its own rows', async () => {
    const before = (await sc.deployment('weather')).stats;
    const n = 240;
    const answers = await Promise.all(Array.from({ length: n }, (_, i) => sc.infer('weather', oipBody(i % 3 === 0 ? [i, i + 1] : [i]))));
    for (let i = 0; i < n; i++) close(oipRows(answers[i]!), await expected(ref1, i % 3 === 0 ? [i, i + 1] : [i]), `caller ${i}`);
    const after = (await sc.deployment('weather')).stats;
    assert.equal(after.requests - before.requests, n);
    assert.ok(after.mean_batch_size > 1, `requests were batched (mean batch ${after.mean_batch_size} rows)`);
    const traffic = (await sc.servingStats()).find((d) => d.name === 'weather');
    assert.ok(traffic, 'GET /api/cairn/v1/serving/stats lists the deployment');
    assert.equal(traffic.state, 'ready');
    assert.equal(traffic.version, '1');
    assert.ok(traffic.stats.requests >= after.requests, 'the stats endpoint counts the same requests');
    assert.ok(traffic.stats.req_per_s > 0 && traffic.stats.p50_ms > 0 && traffic.stats.p99_ms >= traffic.stats.p50_ms, JSON.stringify(traffic.stats));
    assert.deepEqual(Object.keys(traffic).sort(), ['name', 'state', 'stats', 'version'], 'only the figures a view polls');
  });

  it('follows its alias under load with zero failed requests, splits traffic to a canary, and rolls back', async () => {
    const seen = new Set<string>();
    const { results, errors } = await underLoad(
      12,
      async (i) => {
        const r = await sc.infer('weather', oipBody([i % 100]));
        seen.add(r.model_version);
        return r;
      },
      async () => {
        await waitFor('some traffic on version 1', () => (seen.has('1') ? true : undefined));
        await sc.setAlias('weather', 'champion', '2');
        await waitFor('traffic on version 2', () => (seen.has('2') ? true : undefined));
        const d = await sc.deployment('weather');
        await waitFor('the old version to drain', async () => ((await sc.deployment('weather')).variants.length === 1 ? true : undefined));
        assert.equal(d.version, '2');
        assert.equal(d.previous_version, '1');
      },
    );
    assert.deepEqual(errors.map(String), [], 'no request failed during the switch');
    assert.ok(results.length > 50, `${results.length} requests under load`);
    const now = await sc.infer('weather', oipBody([3]));
    assert.equal(now.model_version, '2');
    close(oipRows(now), await expected(ref2, [3]), 'after the alias move');

    const canary = await cairn(server, ['deploy', 'weather/1', '--name', 'weather', '--canary-percent', '50']);
    assert.equal(canary.code, 0, canary.stderr);
    assert.match(canary.stdout, /version 2, canary 1 \(50%\)/);
    const versions = await Promise.all(Array.from({ length: 80 }, () => sc.infer('weather', oipBody([1])).then((r) => r.model_version)));
    assert.ok(versions.includes('1') && versions.includes('2'), `both versions answer (${versions.filter((v) => v === '1').length} canary of 80)`);
    await sc.updateDeployment('weather', { canary_version: null, config: { canary_percent: 0 } });

    const rb = await cairn(server, ['rollback', 'weather']);
    assert.equal(rb.code, 0, rb.stderr);
    assert.match(rb.stdout, /weather@champion \(pinned by rollback\) → version 1/);
    assert.equal((await sc.infer('weather', oipBody([3]))).model_version, '1');
    await sc.setAlias('weather', 'champion', '2');
    assert.equal((await sc.infer('weather', oipBody([3]))).model_version, '1', 'a rolled-back deployment no longer follows its alias');
    const list = await cairn(server, ['deployments']);
    assert.match(list.stdout, /requests, [\d.]+ req\/s, p50 [\d.]+ ms, p99 [\d.]+ ms/);
  });

  it('logs predictions and attaches feedback labels by request id', async () => {
    await sc.updateDeployment('weather', { config: { log_sample_rate: 1 } });
    await sc.infer('weather', oipBody([42], 'req-42'));
    const viaMlflow = await post('/deployments/weather/invocations', JSON.stringify({ instances: [features(43)] }), { 'Content-Type': 'application/json', 'X-Request-Id': 'req-43' });
    assert.equal(viaMlflow.headers['x-request-id'], 'req-43');
    const logged = await waitFor('the prediction log', async () => {
      const p = await sc.predictions('weather', 1000);
      return p.some((r) => r.id === 'req-43') ? p : undefined;
    });
    const rec = logged.find((r) => r.id === 'req-42')!;
    assert.equal(rec.protocol, 'oip');
    assert.equal(rec.version, '1');
    assert.deepEqual(Object.keys(rec.inputs[0]!), FEATURES, 'inputs are logged by column');
    assert.equal(rec.inputs[0]!['wind'], features(42)[3]);
    assert.equal((Object.values(rec.outputs[0]!)[0] as number[]).length, 5, 'outputs are logged per row');
    assert.ok(rec.latency_ms > 0);
    assert.deepEqual(await sc.feedback('weather', { request_id: 'req-42', label: 'rain' }), { request_id: 'req-42', labels: 1 });
    const fb = fs.readFileSync(path.join(storeDir, 'predictions', 'weather', 'feedback.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(fb.map((f) => [f.request_id, f.labels]), [['req-42', ['rain']]]);
    // The monitoring engine reads this log: the labelled prediction joins into a quality report.
    assert.equal(typeof rec.outputs[0]!['label'], 'string', 'classifier rows carry the predicted label');
    const quality = await server.client.call<QualityReport>('POST', '/api/cairn/v1/quality/reports', { deployment: 'weather', task: 'classification' });
    assert.equal(quality.reference.labelled, 1);
    assert.equal(quality.reference.metrics['accuracy'], rec.outputs[0]!['label'] === 'rain' ? 1 : 0);
    const bad = await raw(server, 'POST', '/api/cairn/v1/deployments/weather/feedback', { body: '{"request_id":"x"}', headers: { 'Content-Type': 'application/json' } });
    assert.equal(bad.status, 400);
    assert.match(String(bad.json?.['message']), /Send 'label'/);
  });

  it('exports a bundle that predicts in Node without Cairn, the same values as the server', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bundle-'));
    fs.rmSync(out, { recursive: true });
    try {
      const r = await cairn(server, ['export', 'weather/1', '--format', 'tfjs-bundle', '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      for (const f of ['model.json', 'cairn-model.js', 'index.html', 'signature.json', 'tfjs-backend-wasm-simd.wasm']) assert.ok(fs.existsSync(path.join(out, f)), f);
      const idx = [0, 100, 200];
      const records = idx.map((i) => Object.fromEntries(FEATURES.map((f, k) => [f, features(i)[k]])));
      const script = `require('./cairn-model.js').load().then(async (m) => console.log(JSON.stringify({ backend: m.backend, p: await m.predict(${JSON.stringify(records)}), l: await m.classify(${JSON.stringify(records)}) })))`;
      const run = spawnSync(process.execPath, ['-e', script], { cwd: out, encoding: 'utf8', env: { PATH: process.env['PATH'] } });
      assert.equal(run.status, 0, run.stderr);
      const got = JSON.parse(run.stdout.trim().split('\n').pop()!) as { backend: string; p: number[][]; l: string[] };
      assert.equal(got.backend, 'wasm');
      close(got.p, oipRows(await sc.infer('weather', oipBody(idx), '1')), 'exported bundle vs server');
      assert.equal(got.l.length, 3);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('predicts CSV, JSON-lines and Parquet files in a stream', async () => {
    const outJsonl = path.join(root, 'out.jsonl');
    const r = await cairn(server, ['predict', 'weather/1', '--input', weatherCsvPath(), '--output', outJsonl, '--chunk-rows', '200']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /predict: 1,461 rows in [\d.]+ s \([\d,]+ rows\/s\) with weather\/1/);
    const lines = fs.readFileSync(outJsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, rows.length);
    const served = oipRows(await sc.infer('weather', oipBody([0, 700, 1460]), '1'));
    close([0, 700, 1460].map((i) => Object.values(lines[i]!).find(Array.isArray) as number[]), served, 'batch prediction vs server');
    assert.equal(typeof lines[0]!['label'], 'string');

    const { parquetWriteFile } = await import('hyparquet-writer');
    const pq = path.join(root, 'weather.parquet');
    parquetWriteFile({ filename: pq, columnData: FEATURES.map((f) => ({ name: f, data: rows.map((row) => row[f as 'wind']), type: 'DOUBLE' as const })) });
    const outCsv = path.join(root, 'out.csv');
    const p = await cairn(server, ['predict', 'weather/1', '--input', pq, '--output', outCsv]);
    assert.equal(p.code, 0, p.stderr);
    const csv = fs.readFileSync(outCsv, 'utf8').trim().split('\n');
    assert.equal(csv.length, rows.length + 1);
    assert.match(csv[0]!, /^precipitation,temp_max,temp_min,wind,/);
    const bad = await cairn(server, ['predict', 'weather/1', '--input', path.join(root, 'x.txt'), '--output', outCsv]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /input files must end in \.csv, \.jsonl or \.parquet/);
  });

  it('keeps its deployments across a backend crash and restart', async () => {
    await server.kill();
    server = await startServerProcess(storeDir);
    sc = new ServingClient(server.client);
    const d = await waitFor('the deployment to come back', async () => {
      const s = await sc.deployment('weather');
      return s.state === 'ready' ? s : undefined;
    });
    assert.equal(d.version, '1');
    assert.equal(d.follow, false);
    close(oipRows(await sc.infer('weather', oipBody([9]))), await expected(ref1, [9]), 'after restart');
    const u = await cairn(server, ['undeploy', 'weather']);
    assert.equal(u.code, 0, u.stderr);
    assert.equal((await raw(server, 'POST', '/v2/models/weather/infer', { body: JSON.stringify(oipBody([0])) })).status, 404);
  });
});
