import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { raw, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

let server: ServerProcess;
let runId: string;
let artifactRoot: string;
const storeDir = tmpDir();

before(async () => {
  server = await startServerProcess(storeDir);
  const run = await server.client.createRun({ experimentId: '0' });
  runId = run.info.run_id;
  artifactRoot = run.info.artifact_uri.replace('mlflow-artifacts:/', '');
});
after(async () => {
  await server.stop();
  assert.doesNotMatch(server.stderr(), /internal error/, 'no request caused an internal error');
});

const post = (rpc: string, body: string | Buffer, headers: Record<string, string> = {}) => raw(server, 'POST', `/api/2.0/mlflow/${rpc}`, { body, headers: { 'Content-Type': 'application/json', ...headers } });

async function expect4xx(res: { status: number; json?: Record<string, unknown> }, status: number, code: string, message?: RegExp) {
  assert.equal(res.status, status, JSON.stringify(res.json));
  assert.equal(res.json?.['error_code'], code);
  assert.equal(typeof res.json?.['message'], 'string');
  if (message) assert.match(res.json!['message'] as string, message);
}

describe('bad input gets the right 4xx and the server stays up', () => {
  it('malformed JSON and non-object bodies', async () => {
    await expect4xx(await post('runs/create', '{"experiment_id": '), 400, 'BAD_REQUEST', /Malformed JSON/);
    await expect4xx(await post('runs/create', '[1,2]'), 400, 'INVALID_PARAMETER_VALUE', /JSON object/);
    await expect4xx(await post('runs/create', '"x"'), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('wrong types and missing fields', async () => {
    await expect4xx(await post('runs/log-metric', JSON.stringify({ run_id: runId, key: 'a', value: 'abc', timestamp: 1 })), 400, 'INVALID_PARAMETER_VALUE', /value/);
    await expect4xx(await post('runs/log-metric', JSON.stringify({ run_id: runId, key: 'a', value: true, timestamp: 1 })), 400, 'INVALID_PARAMETER_VALUE');
    await expect4xx(await post('runs/log-metric', JSON.stringify({ run_id: runId, key: 'a', value: 1, timestamp: 'yesterday' })), 400, 'INVALID_PARAMETER_VALUE', /timestamp/);
    await expect4xx(await post('runs/log-metric', JSON.stringify({ run_id: runId, key: 'a', value: 1, step: 1.5 })), 400, 'INVALID_PARAMETER_VALUE', /step/);
    await expect4xx(await post('runs/log-metric', JSON.stringify({ key: 'a', value: 1 })), 400, 'INVALID_PARAMETER_VALUE', /run_id/);
    await expect4xx(await post('runs/log-parameter', JSON.stringify({ run_id: runId, key: 'p', value: 5 })), 400, 'INVALID_PARAMETER_VALUE', /string/);
    await expect4xx(await post('runs/log-batch', JSON.stringify({ run_id: runId, metrics: { key: 'a' } })), 400, 'INVALID_PARAMETER_VALUE', /list/);
    await expect4xx(await post('runs/log-batch', JSON.stringify({ run_id: runId, metrics: ['a'] })), 400, 'INVALID_PARAMETER_VALUE');
    await expect4xx(await post('experiments/create', JSON.stringify({ name: 42 })), 400, 'INVALID_PARAMETER_VALUE');
    await expect4xx(await post('experiments/create', JSON.stringify({ name: '' })), 400, 'INVALID_PARAMETER_VALUE');
    await expect4xx(await post('runs/update', JSON.stringify({ run_id: runId, status: 'DONE' })), 400, 'INVALID_PARAMETER_VALUE', /status/);
    await expect4xx(await post('runs/search', JSON.stringify({ experiment_ids: ['0'], filter: 'metrics.a >>> 1' })), 400, 'INVALID_PARAMETER_VALUE');
    await expect4xx(await post('runs/search', JSON.stringify({ experiment_ids: ['0'], max_results: 123456789 })), 400, 'INVALID_PARAMETER_VALUE', /max_results/);
    await expect4xx(await post('runs/search', JSON.stringify({ experiment_ids: ['0'], page_token: 'garbage' })), 400, 'INVALID_PARAMETER_VALUE', /page token/);
    await expect4xx(await raw(server, 'GET', '/api/2.0/mlflow/runs/get?run_id=0123456789abcdef0123456789abcdef'), 404, 'RESOURCE_DOES_NOT_EXIST');
    await expect4xx(await raw(server, 'GET', '/api/2.0/mlflow/experiments/get?experiment_id=abc'), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('over-long keys and values, and batch limits', async () => {
    await expect4xx(await post('runs/log-metric', JSON.stringify({ run_id: runId, key: 'k'.repeat(251), value: 1, timestamp: 1 })), 400, 'INVALID_PARAMETER_VALUE', /250/);
    await expect4xx(await post('runs/log-metric', JSON.stringify({ run_id: runId, key: '../escape', value: 1, timestamp: 1 })), 400, 'INVALID_PARAMETER_VALUE');
    await expect4xx(await post('runs/log-parameter', JSON.stringify({ run_id: runId, key: 'p', value: 'v'.repeat(6001) })), 400, 'INVALID_PARAMETER_VALUE', /6000/);
    await expect4xx(await post('runs/set-tag', JSON.stringify({ run_id: runId, key: 't', value: 'v'.repeat(8001) })), 400, 'INVALID_PARAMETER_VALUE', /8000/);
    const metrics = Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, timestamp: 1, step: i }));
    await expect4xx(await post('runs/log-batch', JSON.stringify({ run_id: runId, metrics })), 400, 'INVALID_PARAMETER_VALUE', /1000 metrics/);
    const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'x' }));
    await expect4xx(await post('runs/log-batch', JSON.stringify({ run_id: runId, params })), 400, 'INVALID_PARAMETER_VALUE', /100 params/);
    const dup = [{ key: 'same', value: '1' }, { key: 'same', value: '2' }];
    await expect4xx(await post('runs/log-batch', JSON.stringify({ run_id: runId, params: dup })), 400, 'INVALID_PARAMETER_VALUE', /Duplicate/);
  });

  it('too-large bodies are refused with 413 before they are buffered', async () => {
    const big = JSON.stringify({ run_id: runId, tags: [{ key: 't', value: 'x'.repeat(1_100_000) }] });
    await expect4xx(await post('runs/log-batch', big), 413, 'PAYLOAD_TOO_LARGE', /limit/);
    const huge = Buffer.alloc(17 * 1024 * 1024, 0x20);
    await expect4xx(await post('runs/create', huge), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('unknown endpoints and wrong methods', async () => {
    await expect4xx(await raw(server, 'GET', '/api/2.0/mlflow/does-not-exist'), 404, 'ENDPOINT_NOT_FOUND');
    await expect4xx(await raw(server, 'GET', '/nothing/here'), 404, 'ENDPOINT_NOT_FOUND');
    await expect4xx(await raw(server, 'GET', '/api/2.0/mlflow/runs/create'), 405, 'METHOD_NOT_ALLOWED', /POST/);
    await expect4xx(await raw(server, 'GET', '/api/2.0/mlflow/runs/%ZZ'), 400, 'BAD_REQUEST', /percent-encoding/);
  });

  it('path traversal in artifact paths, plain and percent-encoded', async () => {
    const base = `/api/2.0/mlflow-artifacts/artifacts/${artifactRoot}`;
    for (const p of [`${base}/../../../../etc/passwd`, `${base}/%2e%2e/%2e%2e/x`, `${base}/%252e%252e/x`, `${base}/..%2f..%2fx`, `${base}/a%5c..%5cb`, '/api/2.0/mlflow-artifacts/artifacts//etc/passwd']) {
      await expect4xx(await raw(server, 'GET', p), 400, 'INVALID_PARAMETER_VALUE', /path/);
      await expect4xx(await raw(server, 'PUT', p, { body: 'x' }), 400, 'INVALID_PARAMETER_VALUE');
    }
    await expect4xx(await raw(server, 'GET', '/api/2.0/mlflow-artifacts/artifacts?path=../..'), 400, 'INVALID_PARAMETER_VALUE');
    await expect4xx(await raw(server, 'GET', `/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=../../x`), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('wrong token, foreign Host and foreign Origin', async () => {
    await expect4xx(await raw(server, 'GET', '/api/2.0/mlflow/experiments/get?experiment_id=0', { token: 'wrong' }), 401, 'UNAUTHENTICATED', /Invalid token/);
    await expect4xx(await raw(server, 'GET', '/api/2.0/mlflow/experiments/get?experiment_id=0', { token: null }), 401, 'UNAUTHENTICATED');
    await expect4xx(await raw(server, 'GET', '/api/2.0/mlflow/experiments/get?experiment_id=0', { headers: { Host: 'attacker.example:80' } }), 403, 'PERMISSION_DENIED', /Host/);
    await expect4xx(await raw(server, 'GET', '/health', { headers: { Host: `rebind.example:${server.port}` } }), 403, 'PERMISSION_DENIED');
    await expect4xx(await raw(server, 'GET', '/api/2.0/mlflow/experiments/get?experiment_id=0', { headers: { Origin: 'https://evil.example' } }), 403, 'PERMISSION_DENIED', /Cross-origin/);
    const same = await raw(server, 'GET', '/api/2.0/mlflow/experiments/get?experiment_id=0', { headers: { Origin: server.url } });
    assert.equal(same.status, 200);
    assert.equal(same.headers['access-control-allow-origin'], undefined, 'no CORS');
  });

  it('garbage on the socket gets a 400 and the server keeps serving', async () => {
    const reply = await new Promise<string>((resolve) => {
      const sock = net.connect(server.port, '127.0.0.1', () => sock.write('NOT HTTP AT ALL\r\n\r\n'));
      let data = '';
      sock.on('data', (d) => (data += d));
      sock.on('close', () => resolve(data));
    });
    assert.match(reply, /400 Bad Request/);
    assert.equal((await raw(server, 'GET', '/health')).status, 200);
    assert.equal((await server.client.getRun(runId)).info.run_id, runId);
  });
});
