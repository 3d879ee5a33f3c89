import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ServingClient } from '../../backend/client/serving-client';
import { BackendError } from '../../backend/client/cairn-client';
import { cairn } from '../helpers/cli';
import { underLoad, waitFor } from '../helpers/load';
import { FEATURES, trainSklearnPickle, weatherRows } from '../helpers/models';
import { publishModel } from '../helpers/registry';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

const root = tmpDir();
const modelDir = path.join(root, 'sklearn');
const rows = weatherRows();
const LABELS = ['drizzle', 'fog', 'rain', 'snow', 'sun'];
let server: ServerProcess;
let sc: ServingClient;

before(async () => {
  trainSklearnPickle(modelDir);
  server = await startServerProcess(path.join(root, 'store'));
  sc = new ServingClient(server.client);
  await publishModel(server.client, modelDir, { name: 'weather-sk', metrics: { accuracy: 0.8 } });
  const r = await cairn(server, ['deploy', 'weather-sk/1']);
  assert.equal(r.code, 0, r.stderr);
});
after(() => server?.stop());

describe('serving a scikit-learn pickle', () => {
  it('predicts labels and probabilities through both protocols', async () => {
    const idx = [0, 1, 2, 3];
    const records = idx.map((i) => Object.fromEntries(FEATURES.map((f) => [f, rows[i]![f as 'wind']])));
    const viaMlflow = (await sc.invocations('weather-sk', { dataframe_records: records })).predictions as string[];
    assert.equal(viaMlflow.length, 4);
    for (const p of viaMlflow) assert.ok(LABELS.includes(p), `${p} is a class`);
    const viaOip = await sc.infer('weather-sk', { inputs: [{ name: 'input', shape: [4, 4], datatype: 'FP64', data: idx.flatMap((i) => FEATURES.map((f) => rows[i]![f as 'wind'])) }] });
    const labels = viaOip.outputs.find((o) => o.name === 'predictions')!;
    const probs = viaOip.outputs.find((o) => o.name === 'probabilities')!;
    assert.deepEqual(labels.data, viaMlflow, 'both protocols give the same answers');
    assert.equal(labels.datatype, 'BYTES');
    assert.deepEqual(probs.shape, [4, 5]);
    const meta = await sc.modelMetadata('weather-sk');
    assert.equal(meta.platform, 'sklearn_pickle');
    const d = await sc.deployment('weather-sk');
    assert.deepEqual(d.signature?.labels, LABELS);
    const bad = await sc.infer('weather-sk', { inputs: [{ name: 'input', shape: [1, 3], datatype: 'FP64', data: [1, 2, 3] }] }).catch((e: BackendError) => e);
    assert.ok(bad instanceof BackendError && bad.status === 400, String(bad));
  });

  it('answers 503 while a killed model process restarts, then serves again; the backend stays up', async () => {
    const before = await sc.deployment('weather-sk');
    const pid = before.variants[0]!.pid!;
    assert.notEqual(pid, server.proc.pid, 'the model runs in its own process');
    const body = { inputs: [{ name: 'input', shape: [1, 4], datatype: 'FP64' as const, data: [0, 10, 5, 3] }] };
    let restarted = false;
    let served = 0;
    let servedAfterRestart = 0;
    const { results, errors } = await underLoad(
      8,
      async () => {
        const label = (await sc.infer('weather-sk', body)).outputs[0]!.data[0];
        served++;
        if (restarted) servedAfterRestart++;
        return label;
      },
      async () => {
        await waitFor('traffic before the kill', () => (served > 20 ? true : undefined), 60_000);
        process.kill(pid, 'SIGKILL');
        await waitFor('the model to come back', async () => {
          const d = await sc.deployment('weather-sk');
          return d.variants[0]!.restarts >= 1 && d.state === 'ready' ? d : undefined;
        }, 90_000);
        restarted = true;
        await waitFor('answers after the restart', () => (servedAfterRestart > 20 ? true : undefined), 60_000);
      },
    );
    assert.ok(restarted);
    for (const e of errors) assert.ok(e instanceof BackendError && e.status === 503, `only 503s while restarting, got ${String(e)}`);
    assert.ok(results.length > 40, `served ${results.length} requests, ${errors.length} got 503`);
    const after = await sc.deployment('weather-sk');
    assert.notEqual(after.variants[0]!.pid, pid, 'a new model process');
    assert.equal((await server.client.health()).status, 'OK');
    const ok = await sc.infer('weather-sk', body);
    assert.equal(typeof ok.outputs[0]!.data[0], 'string');
  });
});
