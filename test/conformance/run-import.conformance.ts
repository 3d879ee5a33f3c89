/** `importRun` and `importLoggedModel` (what `cairn sync` writes through), for every MetadataStore implementation. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Run } from '../../backend/api/mlflow';
import type { LoggedModel } from '../../backend/api/registry';
import type { MetadataStore } from '../../backend/store/metadata-store';
import { rejectsWithCode } from '../helpers/tmp';

const runId = 'a'.repeat(32);
const modelId = `m-${'c'.repeat(32)}`;

function sampleModel(experimentId: string): LoggedModel {
  return {
    info: {
      model_id: modelId,
      experiment_id: experimentId,
      name: 'net',
      creation_timestamp_ms: 1500,
      last_updated_timestamp_ms: 1600,
      artifact_uri: `mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts`,
      status: 'LOGGED_MODEL_READY',
      creator_id: 'laptop-user',
      model_type: 'tfjs-layers',
      source_run_id: runId,
      status_message: '',
      tags: [{ key: 'a', value: '1' }],
    },
    data: { params: [{ key: 'units', value: '16' }], metrics: [] },
  };
}

function sample(experimentId: string): Run {
  return {
    info: {
      run_id: runId,
      run_uuid: runId,
      run_name: 'imported',
      experiment_id: experimentId,
      user_id: 'laptop-user',
      status: 'FINISHED',
      start_time: 1000,
      end_time: 2000,
      artifact_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
      lifecycle_stage: 'active',
    },
    data: {
      params: [{ key: 'lr', value: '0.1' }],
      tags: [{ key: 'mlflow.runName', value: 'imported' }, { key: 'team', value: 'a' }],
      metrics: [{ key: 'acc', value: 0.5, timestamp: 10, step: 3 }, { key: 'nan', value: NaN, timestamp: 1, step: 0 }],
    },
    inputs: { dataset_inputs: [{ tags: [{ key: 'mlflow.data.context', value: 'train' }], dataset: { name: 'd', digest: 'x1', source_type: 'local', source: 'd.csv' } }] },
  };
}

export function runImportConformance(name: string, open: () => Promise<MetadataStore>): void {
  describe(`RunImportStore conformance: ${name}`, () => {
    it('creates a run with its own id and every field, then reports nothing changed on a repeat', async () => {
      const s = await open();
      const exp = await s.createExperiment({ name: 'target' });
      const run = sample(exp);
      assert.deepEqual(await s.importRun(run), { changed: true });
      const got = await s.getRun(runId);
      assert.deepEqual(got.info, run.info);
      assert.deepEqual(got.data.params, run.data.params);
      assert.deepEqual(got.data.tags, [{ key: 'mlflow.runName', value: 'imported' }, { key: 'team', value: 'a' }]);
      assert.equal(got.data.metrics.find((m) => m.key === 'acc')?.value, 0.5);
      assert.ok(Number.isNaN(got.data.metrics.find((m) => m.key === 'nan')?.value));
      assert.equal(got.inputs.dataset_inputs[0]?.dataset.digest, 'x1');
      assert.deepEqual(await s.importRun(run), { changed: false }, 'importing the same run again changes nothing');
      await s.close();
    });

    it('brings an existing run up to date without deleting anything, and keeps params write-once', async () => {
      const s = await open();
      const exp = await s.createExperiment({ name: 'target' });
      await s.importRun(sample(exp));
      const newer = sample(exp);
      newer.info = { ...newer.info, status: 'FAILED', end_time: 3000, lifecycle_stage: 'deleted', run_name: 'renamed' };
      newer.data = {
        params: [{ key: 'lr', value: '0.1' }, { key: 'epochs', value: '5' }],
        tags: [{ key: 'other', value: 'b' }],
        metrics: [{ key: 'acc', value: 0.1, timestamp: 5, step: 1 }, { key: 'loss', value: 2, timestamp: 5, step: 1 }],
      };
      assert.deepEqual(await s.importRun(newer), { changed: true });
      const got = await s.getRun(runId);
      assert.equal(got.info.status, 'FAILED');
      assert.equal(got.info.end_time, 3000);
      assert.equal(got.info.lifecycle_stage, 'deleted');
      assert.equal(got.info.run_name, 'renamed');
      assert.equal(got.data.tags.find((t) => t.key === 'mlflow.runName')?.value, 'renamed');
      assert.equal(got.data.tags.find((t) => t.key === 'team')?.value, 'a', 'tags are not deleted');
      assert.deepEqual(got.data.params.map((p) => p.key), ['epochs', 'lr']);
      assert.equal(got.data.metrics.find((m) => m.key === 'acc')?.value, 0.5, 'an older latest metric does not win');
      assert.equal(got.data.metrics.find((m) => m.key === 'loss')?.value, 2);
      const conflicting = sample(exp);
      conflicting.data.params = [{ key: 'lr', value: '0.2' }];
      await rejectsWithCode(s.importRun(conflicting), 'INVALID_PARAMETER_VALUE');
      await s.close();
    });

    it('imports a run\'s outputs and the logged models it produced, with their own ids, idempotently', async () => {
      const s = await open();
      const exp = await s.createExperiment({ name: 'target' });
      const run = { ...sample(exp), outputs: { model_outputs: [{ model_id: modelId, step: 4 }] } };
      assert.deepEqual(await s.importRun(run), { changed: true }, 'outputs may name a model imported later');
      const model = sampleModel(exp);
      assert.deepEqual(await s.importLoggedModel(model), { changed: true });
      assert.deepEqual(await s.getLoggedModel(modelId), model);
      assert.deepEqual((await s.getRun(runId)).outputs?.model_outputs, [{ model_id: modelId, step: 4 }]);
      assert.deepEqual(await s.importRun(run), { changed: false });
      assert.deepEqual(await s.importLoggedModel(model), { changed: false }, 'importing the same model again changes nothing');
      const newer = sampleModel(exp);
      newer.info = { ...newer.info, status: 'LOGGED_MODEL_UPLOAD_FAILED', last_updated_timestamp_ms: 1700, tags: [{ key: 'b', value: '2' }] };
      newer.data = { params: [{ key: 'units', value: '16' }, { key: 'epochs', value: '3' }], metrics: [] };
      assert.deepEqual(await s.importLoggedModel(newer), { changed: true });
      const got = await s.getLoggedModel(modelId);
      assert.equal(got.info.status, 'LOGGED_MODEL_UPLOAD_FAILED');
      assert.deepEqual(got.info.tags, [{ key: 'a', value: '1' }, { key: 'b', value: '2' }], 'tags are not deleted');
      assert.deepEqual(got.data.params.map((p) => p.key), ['epochs', 'units']);
      const conflicting = sampleModel(exp);
      conflicting.data.params = [{ key: 'units', value: '32' }];
      await rejectsWithCode(s.importLoggedModel(conflicting), 'INVALID_PARAMETER_VALUE');
      await rejectsWithCode(s.importLoggedModel(sampleModel(await s.createExperiment({ name: 'other' }))), 'RESOURCE_CONFLICT');
      const orphan = sampleModel('424242');
      orphan.info = { ...orphan.info, model_id: `m-${'d'.repeat(32)}` };
      await rejectsWithCode(s.importLoggedModel(orphan), 'RESOURCE_DOES_NOT_EXIST');
      await s.close();
    });

    it('refuses a run that exists under another experiment, or an unknown experiment', async () => {
      const s = await open();
      const e1 = await s.createExperiment({ name: 'one' });
      const e2 = await s.createExperiment({ name: 'two' });
      await s.importRun(sample(e1));
      await rejectsWithCode(s.importRun(sample(e2)), 'RESOURCE_CONFLICT');
      const orphan = sample('424242');
      orphan.info = { ...orphan.info, run_id: 'b'.repeat(32), run_uuid: 'b'.repeat(32) };
      await rejectsWithCode(s.importRun(orphan), 'RESOURCE_DOES_NOT_EXIST');
      await s.close();
    });
  });
}
