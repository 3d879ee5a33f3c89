import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ModelVersion } from '../../backend/api/mlflow';
import type { LoggedModel } from '../../backend/api/registry';
import { ServingClient } from '../../backend/client/serving-client';
import { cairn } from '../helpers/cli';
import { trainWeatherTfjs, FEATURES, LABELS } from '../helpers/models';
import { filesUnder, publishModel } from '../helpers/registry';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

const root = tmpDir();
const modelDir = path.join(root, 'model');
let server: ServerProcess;
let sc: ServingClient;

before(async () => {
  await trainWeatherTfjs(modelDir, { epochs: 2 });
  fs.rmSync(path.join(modelDir, 'signature.json')); // the signature must come from the model or a sample here
  server = await startServerProcess(path.join(root, 'store'));
  sc = new ServingClient(server.client);
});
after(() => server?.stop());

describe('registry over the wire', () => {
  it("supports MLflow 3's log_model + register_model('runs:/…') flow through logged models", async () => {
    const c = server.client;
    const exp = await c.ensureExperiment('mlflow3');
    const run = await c.createRun({ experimentId: exp });
    const runId = run.info.run_id;
    // log_model: create the logged model, upload to its artifact location, link it to the run, finalize.
    const { model } = await c.mlflow<{ model: LoggedModel }>('POST', 'logged-models', { experiment_id: exp, name: 'model', source_run_id: runId, model_type: 'tfjs', params: [{ key: 'units', value: '32' }] });
    assert.match(model.info.model_id, /^m-[0-9a-f]{32}$/);
    assert.equal(model.info.artifact_uri, `mlflow-artifacts:/${exp}/models/${model.info.model_id}/artifacts`);
    const root = model.info.artifact_uri.replace('mlflow-artifacts:/', '');
    for (const f of filesUnder(modelDir)) await c.uploadArtifact({ ...run.info, artifact_uri: `mlflow-artifacts:/${root}` }, f, fs.readFileSync(path.join(modelDir, f)));
    const listed = await c.mlflow<{ files: { path: string }[] }>('GET', `logged-models/${model.info.model_id}/artifacts/directories`);
    assert.deepEqual(listed.files.map((f) => f.path), ['model.json', 'weights.bin']);
    await c.mlflow('POST', 'runs/outputs', { run_id: runId, models: [{ model_id: model.info.model_id, step: 3 }] });
    const finalized = await c.mlflow<{ model: LoggedModel }>('PATCH', `logged-models/${model.info.model_id}`, { model_id: model.info.model_id, status: 'LOGGED_MODEL_READY' });
    assert.equal(finalized.model.info.status, 'LOGGED_MODEL_READY');
    // register_model("runs:/<run>/model"): the client finds the logged model through the run and a search.
    const got = await c.getRun(runId);
    assert.deepEqual(got.outputs?.model_outputs, [{ model_id: model.info.model_id, step: 3 }]);
    const search = await c.mlflow<{ models: LoggedModel[] }>('POST', 'logged-models/search', {
      experiment_ids: [exp],
      filter: `source_run_id = '${runId}' AND name = 'model'`,
      order_by: [{ field_name: 'creation_timestamp', ascending: false }],
    });
    assert.deepEqual(search.models.map((m) => m.info.model_id), [model.info.model_id]);
    await c.mlflow('POST', 'registered-models/create', { name: 'weather3' });
    const created = await c.mlflow<{ model_version: ModelVersion }>('POST', 'model-versions/create', { name: 'weather3', source: `models:/${model.info.model_id}`, run_id: runId, model_id: model.info.model_id });
    assert.equal(created.model_version.model_id, model.info.model_id);
    await c.mlflow('PATCH', `logged-models/${model.info.model_id}/tags`, { tags: [{ key: 'mlflow.modelVersions', value: JSON.stringify([{ name: 'weather3', version: '1' }]) }] });
    const tagged = await c.mlflow<{ model: LoggedModel }>('GET', `logged-models/${model.info.model_id}`);
    assert.equal(tagged.model.info.tags.find((t) => t.key === 'mlflow.modelVersions')?.value, '[{"name":"weather3","version":"1"}]');
    // models:/weather3/1 downloads from the logged model's artifacts.
    const uri = await c.mlflow<{ artifact_uri: string }>('GET', 'model-versions/get-download-uri', { name: 'weather3', version: '1' });
    assert.equal(uri.artifact_uri, model.info.artifact_uri);
    const card = await sc.modelCard('weather3', '1');
    assert.equal(card.logged_model_id, model.info.model_id);
    assert.equal(card.flavor, 'tfjs-layers');
    assert.deepEqual(card.params, [{ key: 'units', value: '32' }]);
    await c.mlflow('DELETE', `logged-models/${model.info.model_id}/tags/mlflow.modelVersions`);
    const missing = await c.mlflow('GET', 'logged-models/m-00000000000000000000000000000000').catch((e: Error & { status: number; code: string }) => e);
    assert.equal((missing as { code: string }).code, 'RESOURCE_DOES_NOT_EXIST');
    assert.equal((missing as { status: number }).status, 404);
  });

  it('gives a version its lineage (run, commit, data, metrics) and infers its signature from the model and from a sample', async () => {
    const c = server.client;
    const { run, version } = await publishModel(c, modelDir, {
      name: 'weather',
      metrics: { accuracy: 0.81, loss: 0.6 },
      tags: { 'mlflow.source.git.commit': 'abc1234', 'mlflow.source.git.branch': 'main', 'cairn.git.dirty': 'false', 'cairn.command': '["python","train.py"]' },
    });
    await c.mlflow('POST', 'runs/log-inputs', { run_id: run.info.run_id, datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'train' }], dataset: { name: 'seattle-weather', digest: 'd1g3st', source_type: 'local', source: 'data/seattle-weather.csv' } }] });
    const card = await sc.modelCard('weather', version.version);
    assert.equal(card.run?.run_id, run.info.run_id);
    assert.equal(card.run?.git_commit, 'abc1234');
    assert.equal(card.run?.git_branch, 'main');
    assert.equal(card.run?.git_dirty, false);
    assert.deepEqual(card.datasets.map((d) => [d.dataset.name, d.dataset.digest]), [['seattle-weather', 'd1g3st']]);
    assert.deepEqual(card.metrics.map((m) => [m.key, m.value]).sort(), [['accuracy', 0.81], ['loss', 0.6]]);
    assert.deepEqual(card.files.map((f) => f.path), ['model.json', 'weights.bin']);
    // From the model alone: the input shape, no column names.
    assert.equal(card.signature?.source, 'model');
    assert.deepEqual(card.signature?.inputs[0]?.shape, [-1, 4]);
    assert.equal(card.signature?.columns, undefined);
    // From a sample: column names, and outputs from running the model.
    const sample = [{ precipitation: 0, temp_max: 12.2, temp_min: 5, wind: 3.1 }, { precipitation: 10.4, temp_max: 8, temp_min: 2.2, wind: 6 }];
    const sig = await sc.inferSignature('weather', version.version, sample, LABELS);
    assert.deepEqual(sig.columns, FEATURES);
    assert.deepEqual(sig.outputs.map((o) => o.shape), [[-1, 5]]);
    assert.equal((await sc.modelCard('weather', version.version)).signature?.source, 'sample');
    const bad = await sc.inferSignature('weather', version.version, [{ precipitation: 'lots' }]).catch((e: Error) => e);
    assert.match(String(bad), /INVALID_PARAMETER_VALUE|BAD_REQUEST/);
  });

  it('promotes with gates from the CLI and refuses with the failed gate as the reason', async () => {
    const { version: v2 } = await publishModel(server.client, modelDir, { name: 'weather', metrics: { accuracy: 0.86, loss: 0.5 } });
    const { version: v3 } = await publishModel(server.client, modelDir, { name: 'weather', metrics: { accuracy: 0.84, loss: 0.4 } });
    const first = await cairn(server, ['models', 'promote', 'weather', v2.version, '--alias', 'champion', '--require', 'metrics.accuracy >= 0.85']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal((await sc.getVersionByAlias('weather', 'champion')).version, v2.version);
    const tooLow = await cairn(server, ['models', 'promote', 'weather', v3.version, '--alias', 'champion', '--require', 'metrics.accuracy >= 0.85']);
    assert.equal(tooLow.code, 1);
    assert.match(tooLow.stderr, /refused to move 'champion' to weather\/3: metrics\.accuracy = 0\.84, required >= 0\.85/);
    const worse = await cairn(server, ['models', 'promote', 'weather', v3.version, '--alias', 'champion', '--against', 'champion']);
    assert.equal(worse.code, 1);
    assert.match(worse.stderr, /metrics\.accuracy = 0\.84 vs 0\.86 for weather\/2 \('champion'\): lower is worse/);
    assert.equal((await sc.getVersionByAlias('weather', 'champion')).version, v2.version, 'a refused promotion changes nothing');
    const lossOnly = await sc.promote('weather', v3.version, { alias: 'champion', require: ['metrics.loss <= 0.45'], against: 'champion' });
    assert.equal(lossOnly.promoted, true, lossOnly.reason);
    assert.equal(lossOnly.previous_version, v2.version);
    assert.equal((await sc.getVersionByAlias('weather', 'champion')).version, v3.version);
    const unknown = await sc.promote('weather', v3.version, { alias: 'champion', require: ['metrics.f1 > 0.5'] });
    assert.equal(unknown.promoted, false);
    assert.match(unknown.reason ?? '', /metrics\.f1 was not logged/);
  });
});
