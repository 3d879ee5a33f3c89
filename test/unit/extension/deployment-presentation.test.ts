import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeliveredEvent } from '../../../backend/api/cairn';
import type { DeploymentStatus, DeploymentTraffic } from '../../../backend/api/serving';
import { bindingText, deploymentContextValue, deploymentDescription, detailRows, formatMs, formatRate, trafficText } from '../../../extension/deployments/deployment-presentation';
import { DeploymentsModel } from '../../../extension/deployments/deployments-model';
import { parseRequestBody, requestProtocol, responseDocument, sampleRequest } from '../../../extension/deployments/test-request';
import { fakeDeployment } from './fake-serving';

test('figures are compact; an idle deployment says so', () => {
  assert.equal(formatRate(3.256), '3.26 req/s');
  assert.equal(formatRate(42.26), '42.3 req/s');
  assert.equal(formatRate(1234.5), '1235 req/s');
  assert.equal(formatMs(1.234), '1.23 ms');
  assert.equal(formatMs(120.6), '121 ms');
  assert.equal(trafficText({ req_per_s: 0, p50_ms: 0, p99_ms: 0 }), 'idle');
});

test('the deployment line, binding, detail rows and contextValue', () => {
  const d = fakeDeployment();
  assert.equal(deploymentDescription(d), 'v2 · ready · 3.25 req/s · p50 1.23 ms · p99 121 ms');
  assert.equal(deploymentDescription(fakeDeployment({ state: 'loading', stats: { ...d.stats, req_per_s: 0 }, canary_version: '3' })), 'v2 + canary v3 · loading');
  assert.equal(bindingText(d), 'weather@champion → v2');
  assert.equal(bindingText(fakeDeployment({ follow: false, previous_version: '3' })), 'weather/2 (pinned, not following @champion; was v3)');
  const rows = detailRows(fakeDeployment({ canary_version: '3' }), 'http://127.0.0.1:5000/');
  assert.deepEqual(rows.map((r) => r.key), ['invocations', 'oip', 'version', 'canary', 'status', 'traffic']);
  assert.equal(rows[0]!.url, 'http://127.0.0.1:5000/deployments/weather/invocations');
  assert.equal(rows[3]!.value, 'v3 (10% of traffic)');
  assert.equal(rows[4]!.value, 'ready · tfjs-layers · 0 restarts');
  assert.equal(rows[5]!.value, '3.25 req/s · p50 1.23 ms · p99 121 ms · 10 requests · 1 errors');
  assert.equal(deploymentContextValue(d), 'cairn:deployment+ready+following+norollback');
  assert.equal(deploymentContextValue(fakeDeployment({ follow: false, previous_version: '1', state: 'failed' })), 'cairn:deployment+failed+pinned+rollback');
});

test('the model applies events and polled traffic, naming only the nodes that changed', async () => {
  let remote: DeploymentStatus[] = [fakeDeployment(), fakeDeployment({ name: 'b', model_name: 'other' })];
  const src = {
    deployments: async () => remote.map((d) => structuredClone(d)),
    deployment: async (name: string) => {
      const d = remote.find((x) => x.name === name);
      if (!d) throw Object.assign(new Error('gone'), { code: 'RESOURCE_DOES_NOT_EXIST' });
      return structuredClone(d);
    },
    servingStats: async (): Promise<DeploymentTraffic[]> => [],
  };
  const m = new DeploymentsModel(() => src);
  const ev = (name: string): DeliveredEvent => ({ type: 'deployment.updated', name, id: 1, time: 0 });
  assert.deepEqual(await m.apply(ev('weather')), [{ kind: 'root', models: [] }], 'before the first listing: reload all');
  const listed = await m.list();
  assert.deepEqual(listed.map((d) => d.name), ['b', 'weather']);
  assert.deepEqual(m.deployedAs('weather', '2'), ['weather']);
  remote[1] = fakeDeployment({ name: 'b', model_name: 'other', version: '5' });
  const first = m.get('b');
  assert.deepEqual(await m.apply(ev('b')), [{ kind: 'deployment', name: 'b', models: ['other'] }]);
  assert.equal(m.get('b'), first, 'updated in place: the tree keeps its element');
  assert.equal(m.get('b')!.version, '5');
  remote = remote.filter((d) => d.name !== 'weather');
  assert.deepEqual(await m.apply(ev('weather')), [{ kind: 'root', models: ['weather'] }]);
  assert.deepEqual(m.deployedAs('weather', '2'), []);
  const stats = m.get('b')!.stats;
  assert.deepEqual(m.applyTraffic([{ name: 'b', state: 'ready', version: '5', stats }]), [], 'same figures: nothing to refresh');
  assert.deepEqual(m.applyTraffic([{ name: 'b', state: 'ready', version: '5', stats: { ...stats, requests: 11, req_per_s: 9 } }]), [{ kind: 'deployment', name: 'b', models: [] }]);
  assert.equal(m.get('b')!.stats.req_per_s, 9);
  assert.equal(m.hasDeployments, true);
});

test('test requests: a sample body from the signature, protocol detection, parse errors, the response document', () => {
  assert.deepEqual(sampleRequest({ inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }], outputs: [], columns: ['a', 'b'], source: 'model' }), { dataframe_split: { columns: ['a', 'b'], data: [[0, 0], [0, 0]] } });
  assert.deepEqual(sampleRequest({ inputs: [{ name: 'x', datatype: 'INT64', shape: [-1, 3] }], outputs: [], source: 'model' }, 1), { inputs: [{ name: 'x', shape: [1, 3], datatype: 'INT64', data: [0, 0, 0] }] });
  assert.deepEqual(sampleRequest(undefined), { inputs: [[0]] });
  assert.equal(requestProtocol({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] }), 'oip');
  assert.equal(requestProtocol({ inputs: [[1, 2]] }), 'mlflow');
  assert.equal(requestProtocol({ dataframe_split: {} }), 'mlflow');
  assert.equal(requestProtocol(null), 'mlflow');
  assert.deepEqual(parseRequestBody(' '), { ok: false, error: 'the request is empty: write a JSON body' });
  const bad = parseRequestBody('{"a":');
  assert.ok(!bad.ok && /not valid JSON/.test(bad.error));
  const doc = responseDocument('w', { path: '/deployments/w/invocations', status: 200, ok: true, requestId: 'r-1', text: '{"predictions":[1]}', ms: 3.14159 });
  assert.equal(doc, '// POST /deployments/w/invocations → 200 in 3.1 ms · X-Request-Id r-1 · deployment w\n{\n  "predictions": [\n    1\n  ]\n}\n');
  assert.match(responseDocument('w', { path: '/p', status: 400, ok: false, text: 'plain', ms: 1 }), /→ 400 \(error\)[^\n]*\nplain\n$/);
});
