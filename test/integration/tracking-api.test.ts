import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DeliveredEvent } from '../../backend/api/cairn';
import { raw, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

let server: ServerProcess;
const api = (method: string, rpc: string, body?: unknown, prefix = '/api/2.0/mlflow') =>
  method === 'GET'
    ? raw(server, 'GET', `${prefix}/${rpc}?${new URLSearchParams(body as Record<string, string>)}`)
    : raw(server, method, `${prefix}/${rpc}`, { body: JSON.stringify(body ?? {}), headers: { 'Content-Type': 'application/json' } });

const storeDir = tmpDir();
before(async () => {
  server = await startServerProcess(storeDir);
});
after(async () => {
  await server.stop();
  if (/internal error/.test(server.stderr())) throw new Error(`the server logged internal errors:\n${server.stderr()}`);
});

describe('MLflow tracking API over HTTP', () => {
  it('answers /health without a token and the API only with one', async () => {
    assert.equal((await raw(server, 'GET', '/health', { token: null })).status, 200);
    const denied = await raw(server, 'GET', '/api/2.0/mlflow/experiments/get?experiment_id=0', { token: null });
    assert.equal(denied.status, 401);
    assert.equal(denied.json?.['error_code'], 'UNAUTHENTICATED');
    const basic = await raw(server, 'GET', '/api/2.0/mlflow/experiments/get?experiment_id=0', {
      token: null,
      headers: { Authorization: `Basic ${Buffer.from(`user:${server.token}`).toString('base64')}` },
    });
    assert.equal(basic.status, 200, 'basic auth with the token as password works');
  });

  it('runs the experiment lifecycle under both /api and /ajax-api prefixes', async () => {
    const created = await api('POST', 'experiments/create', { name: 'http-exp', tags: [{ key: 'a', value: 'b' }] });
    assert.equal(created.status, 200);
    const id = created.json!['experiment_id'] as string;
    const byName = await api('GET', 'experiments/get-by-name', { experiment_name: 'http-exp' }, '/ajax-api/2.0/mlflow');
    assert.equal((byName.json!['experiment'] as { experiment_id: string }).experiment_id, id);
    const missing = await api('GET', 'experiments/get-by-name', { experiment_name: 'nope' });
    assert.equal(missing.status, 404);
    assert.equal(missing.json!['error_code'], 'RESOURCE_DOES_NOT_EXIST');
    const dup = await api('POST', 'experiments/create', { name: 'http-exp' });
    assert.equal(dup.json!['error_code'], 'RESOURCE_ALREADY_EXISTS');
    const search = await api('POST', 'experiments/search', { filter: "name LIKE 'http-%'", max_results: 10 });
    assert.deepEqual((search.json!['experiments'] as { name: string }[]).map((e) => e.name), ['http-exp']);
    assert.equal((await api('POST', 'experiments/update', { experiment_id: id, new_name: 'http-exp2' })).status, 200);
    assert.equal((await api('POST', 'experiments/set-experiment-tag', { experiment_id: id, key: 'k', value: 'v' })).status, 200);
    assert.equal((await api('POST', 'experiments/delete', { experiment_id: id })).status, 200);
    const got = await api('GET', 'experiments/get', { experiment_id: id });
    assert.equal((got.json!['experiment'] as { lifecycle_stage: string }).lifecycle_stage, 'deleted');
    assert.equal((await api('POST', 'experiments/restore', { experiment_id: id })).status, 200);
  });

  it('logs a run the way the mlflow client does, with NaN and infinities as strings', async () => {
    const created = await api('POST', 'runs/create', { experiment_id: '0', start_time: 1000, tags: [{ key: 'mlflow.user', value: 'ann' }], run_name: 'wire' });
    const runId = (created.json!['run'] as { info: { run_id: string } }).info.run_id;
    const log = (rpc: string, body: Record<string, unknown>) => api('POST', rpc, { run_id: runId, run_uuid: runId, ...body });
    assert.equal((await log('runs/log-metric', { key: 'm', value: 'NaN', timestamp: 1, step: 0 })).status, 200);
    assert.equal((await log('runs/log-metric', { key: 'm', value: 'Infinity', timestamp: 2, step: 1 })).status, 200);
    assert.equal((await log('runs/log-metric', { key: 'm', value: '-Infinity', timestamp: 3, step: 2 })).status, 200);
    assert.equal((await log('runs/log-metric', { key: 'm', value: 1.5, timestamp: '4', step: '3' })).status, 200);
    assert.equal((await log('runs/log-parameter', { key: 'lr', value: '0.01' })).status, 200);
    assert.equal((await log('runs/set-tag', { key: 'stage', value: 'dev' })).status, 200);
    const batch = await log('runs/log-batch', {
      metrics: Array.from({ length: 998 }, (_, i) => ({ key: 'loss', value: 1 / (i + 1), timestamp: 10 + i, step: i })),
      params: [{ key: 'epochs', value: '10' }],
      tags: [{ key: 'stage', value: 'prod' }],
    });
    assert.equal(batch.status, 200, batch.text);
    const history = await api('GET', 'metrics/get-history', { run_id: runId, metric_key: 'm' });
    assert.deepEqual((history.json!['metrics'] as { value: unknown }[]).map((m) => m.value), ['NaN', 'Infinity', '-Infinity', 1.5]);
    const paged = await api('GET', 'metrics/get-history', { run_id: runId, metric_key: 'loss', max_results: '400' });
    assert.equal((paged.json!['metrics'] as unknown[]).length, 400);
    assert.ok(paged.json!['next_page_token']);
    const run = (await api('GET', 'runs/get', { run_id: runId })).json!['run'] as { info: { user_id: string }; data: { metrics: { key: string; value: unknown; step: number }[]; params: unknown[]; tags: { key: string; value: string }[] } };
    assert.equal(run.info.user_id, 'ann');
    assert.deepEqual(run.data.metrics.find((m) => m.key === 'loss'), { key: 'loss', value: 1 / 998, timestamp: 1007, step: 997 });
    assert.equal(run.data.tags.find((t) => t.key === 'stage')?.value, 'prod');
    assert.equal((await log('runs/log-parameter', { key: 'lr', value: '0.02' })).json!['error_code'], 'INVALID_PARAMETER_VALUE');
    const updated = await log('runs/update', { status: 'FINISHED', end_time: 5000 });
    assert.equal((updated.json!['run_info'] as { status: string }).status, 'FINISHED');
    assert.equal((await log('runs/delete', {})).status, 200);
    const deletedWrite = await log('runs/set-tag', { key: 'x', value: 'y' });
    assert.equal(deletedWrite.json!['error_code'], 'INVALID_STATE');
    assert.ok(deletedWrite.status >= 400 && deletedWrite.status < 500, 'never a 5xx: the mlflow client would retry for minutes');
    assert.equal((await log('runs/restore', {})).status, 200);
  });

  it('searches runs with filter, order and page tokens', async () => {
    const exp = (await api('POST', 'experiments/create', { name: 'search-http' })).json!['experiment_id'];
    for (let i = 0; i < 25; i++) {
      const r = await api('POST', 'runs/create', { experiment_id: exp, run_name: `r${i}`, start_time: 1000 + i });
      const runId = (r.json!['run'] as { info: { run_id: string } }).info.run_id;
      await api('POST', 'runs/log-batch', { run_id: runId, metrics: [{ key: 'acc', value: i / 25, timestamp: 1, step: 0 }], params: [{ key: 'even', value: String(i % 2 === 0) }] });
    }
    const names: string[] = [];
    let token: string | undefined;
    do {
      const res = await api('POST', 'runs/search', { experiment_ids: [exp], filter: "params.even = 'true' AND metrics.acc >= 0.2", order_by: ['metrics.acc DESC'], max_results: 4, page_token: token });
      names.push(...((res.json!['runs'] as { info: { run_name: string } }[]) ?? []).map((r) => r.info.run_name));
      token = res.json!['next_page_token'] as string | undefined;
    } while (token);
    assert.deepEqual(names, ['r24', 'r22', 'r20', 'r18', 'r16', 'r14', 'r12', 'r10', 'r8', 'r6']);
    const viaGet = await api('GET', 'runs/search', { experiment_ids: exp as string, filter: "run_name = 'r3'" });
    assert.equal((viaGet.json!['runs'] as unknown[]).length, 1);
  });

  it('stores artifacts through the proxy: streamed upload, list, download, delete', async () => {
    const created = await api('POST', 'runs/create', { experiment_id: '0' });
    const info = (created.json!['run'] as { info: { run_id: string; artifact_uri: string } }).info;
    const root = info.artifact_uri.replace('mlflow-artifacts:/', '');
    const big = Buffer.alloc(5 * 1024 * 1024 + 17, 3);
    assert.equal((await raw(server, 'PUT', `/api/2.0/mlflow-artifacts/artifacts/${root}/model/weights.bin`, { body: big })).status, 200);
    assert.equal((await raw(server, 'PUT', `/api/2.0/mlflow-artifacts/artifacts/${root}/notes.txt`, { body: 'hello' })).status, 200);
    const list = await raw(server, 'GET', `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(root)}`);
    assert.deepEqual(list.json!['files'], [{ path: 'model', is_dir: true }, { path: 'notes.txt', is_dir: false, file_size: 5 }]);
    const viaTracking = await api('GET', 'artifacts/list', { run_id: info.run_id, path: 'model' });
    assert.deepEqual(viaTracking.json!['files'], [{ path: 'model/weights.bin', is_dir: false, file_size: big.length }]);
    const res = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${root}/model/weights.bin`, { headers: { Authorization: `Bearer ${server.token}` } });
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), big);
    assert.equal((await raw(server, 'DELETE', `/api/2.0/mlflow-artifacts/artifacts/${root}/model`)).status, 200);
    assert.equal((await raw(server, 'GET', `/api/2.0/mlflow-artifacts/artifacts/${root}/model/weights.bin`)).status, 404);
  });

  it('runs the registry API with versions as strings, aliases and download URIs', async () => {
    assert.equal((await api('POST', 'registered-models/create', { name: 'clf' })).status, 200);
    assert.equal((await api('POST', 'registered-models/create', { name: 'clf' })).json!['error_code'], 'RESOURCE_ALREADY_EXISTS');
    const mv = await api('POST', 'model-versions/create', { name: 'clf', source: 'mlflow-artifacts:/0/abc/artifacts/model', run_id: 'abc' });
    const version = mv.json!['model_version'] as { version: string; status: string };
    assert.equal(version.version, '1');
    assert.equal(version.status, 'READY');
    assert.equal((await api('POST', 'registered-models/alias', { name: 'clf', alias: 'champion', version: '1' })).status, 200);
    assert.equal((await api('POST', 'registered-models/alias', { name: 'clf', alias: 'latest', version: '1' })).json!['error_code'], 'INVALID_PARAMETER_VALUE');
    const byAlias = await api('GET', 'registered-models/alias', { name: 'clf', alias: 'champion' });
    assert.equal((byAlias.json!['model_version'] as { version: string }).version, '1');
    const uri = await api('GET', 'model-versions/get-download-uri', { name: 'clf', version: '1' });
    assert.equal(uri.json!['artifact_uri'], 'mlflow-artifacts:/0/abc/artifacts/model');
    const stage = await api('POST', 'model-versions/transition-stage', { name: 'clf', version: '1', stage: 'production', archive_existing_versions: true });
    assert.equal((stage.json!['model_version'] as { current_stage: string }).current_stage, 'Production');
    const latest = await api('POST', 'registered-models/get-latest-versions', { name: 'clf', stages: ['Production'] });
    assert.equal((latest.json!['model_versions'] as unknown[]).length, 1);
    const del = await raw(server, 'DELETE', '/api/2.0/mlflow/registered-models/alias', { body: JSON.stringify({ name: 'clf', alias: 'champion' }) });
    assert.equal(del.status, 200);
    const search = await api('GET', 'registered-models/search', { filter: "name = 'clf'" });
    assert.equal((search.json!['registered_models'] as unknown[]).length, 1);
  });

  it('streams change events over SSE and resumes after Last-Event-ID', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${server.url}/api/cairn/v1/events?types=run.created,metrics.appended`, { headers: { Authorization: `Bearer ${server.token}` }, signal: ctrl.signal });
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const reader = res.body!.getReader();
    const events: DeliveredEvent[] = [];
    const reading = (async () => {
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += Buffer.from(value).toString('utf8');
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) events.push(JSON.parse(data.slice(6)) as DeliveredEvent);
        }
      }
    })().catch(() => {});
    const run = await server.client.createRun({ experimentId: '0', runName: 'live' });
    await server.client.logBatch(run.info.run_id, { metrics: [{ key: 'acc', value: 0.5, timestamp: 1, step: 3 }] });
    for (let i = 0; i < 100 && events.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    ctrl.abort();
    await reading;
    assert.deepEqual(events.map((e) => e.type), ['run.created', 'metrics.appended']);
    const appended = events[1] as Extract<DeliveredEvent, { type: 'metrics.appended' }>;
    assert.deepEqual(appended.latest, [{ key: 'acc', value: 0.5, step: 3, timestamp: 1 }]);
    const resumed = await fetch(`${server.url}/api/cairn/v1/events?last_event_id=${events[0]!.id}&types=metrics.appended`, { headers: { Authorization: `Bearer ${server.token}` } });
    const resumedReader = resumed.body!.getReader();
    let text = '';
    while (!text.includes('metrics.appended')) text += Buffer.from((await resumedReader.read()).value!).toString();
    assert.match(text, /"key":"acc"/);
    await resumedReader.cancel();
  });

  it('serves downsampled metric series that keep spikes', async () => {
    const run = await server.client.createRun({ experimentId: '0', runName: 'long' });
    for (let b = 0; b < 20; b++) {
      await server.client.logBatch(run.info.run_id, {
        metrics: Array.from({ length: 1000 }, (_, i) => ({ key: 'train/loss', value: b * 1000 + i === 12345 ? 99 : Math.random(), timestamp: b, step: b * 1000 + i })),
      });
    }
    const s = await server.client.metricSeries(run.info.run_id, 'train/loss', 200);
    assert.equal(s.total_points, 20_000);
    assert.equal(s.downsampled, true);
    assert.ok(s.value.length <= 200);
    assert.ok(s.value.includes(99), 'the spike survives');
    const bad = await raw(server, 'GET', `/api/cairn/v1/runs/${run.info.run_id}/metrics/train/loss?max_points=2`);
    assert.equal(bad.status, 400);
  });
});
