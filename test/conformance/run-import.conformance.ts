/** `importRun` (what `cairn sync` writes through), for every MetadataStore implementation. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Run } from '../../backend/api/mlflow';
import type { MetadataStore } from '../../backend/store/metadata-store';
import { rejectsWithCode } from '../helpers/tmp';

const runId = 'a'.repeat(32);

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
