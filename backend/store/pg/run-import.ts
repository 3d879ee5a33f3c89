import type { Run } from '../../api/mlflow';
import type { LoggedModel } from '../../api/registry';
import { CairnError, invalidParam } from '../../core/errors';
import type { RunImportStore } from '../run-import';
import { parseExperimentId, type PgExperiments } from './experiments';
import type { PgDb } from './pg-db';
import { upsertKeyValues } from './logged-models';
import type { RunRow } from './run-rows';
import { insertParams, offerLatest, RUN_NAME_TAG, upsertInputs, upsertTags } from './runs';

export class PgRunImport implements RunImportStore {
  constructor(
    private readonly db: PgDb,
    private readonly experiments: PgExperiments,
  ) {}

  async importRun(run: Run): Promise<{ changed: boolean }> {
    const i = run.info;
    const eid = parseExperimentId(i.experiment_id);
    return this.db.write('run.import', i.run_id, async (tx) => {
      const existing = await tx.one<RunRow>('SELECT * FROM runs WHERE run_uuid = $1 FOR UPDATE', [i.run_id]);
      const deletedTime = i.lifecycle_stage === 'deleted' ? Date.now() : null;
      let runKey: number;
      if (!existing) {
        await this.experiments.mustExist(tx, eid);
        runKey = (await tx.one<{ run_key: number }>(
          `INSERT INTO runs (run_uuid, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri, deleted_time)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING run_key`,
          [i.run_id, eid, i.run_name, i.user_id, i.status, i.start_time, i.end_time ?? null, i.lifecycle_stage, i.artifact_uri, deletedTime],
        ))!.run_key;
      } else {
        runKey = existing.run_key;
        if (Number(existing.experiment_id) !== eid) {
          throw new CairnError('RESOURCE_CONFLICT', `Run ${i.run_id} already exists here under experiment ${existing.experiment_id}, not ${eid}.`);
        }
        await tx.query(
          `UPDATE runs SET run_name = $2, user_id = $3, status = $4, start_time = $5, end_time = $6, artifact_uri = $7,
             lifecycle_stage = $8, deleted_time = CASE WHEN $8 = 'deleted' THEN coalesce(deleted_time, $9) ELSE NULL END
           WHERE run_uuid = $1 AND (run_name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage)
             IS DISTINCT FROM ($2, $3, $4, $5::bigint, $6::bigint, $7, $8)`,
          [i.run_id, i.run_name, i.user_id, i.status, i.start_time, i.end_time ?? null, i.artifact_uri, i.lifecycle_stage, Date.now()],
        );
      }
      await insertParams(tx, runKey, i.run_id, run.data.params);
      await upsertTags(tx, runKey, [...run.data.tags.filter((t) => t.key !== RUN_NAME_TAG), { key: RUN_NAME_TAG, value: i.run_name }]);
      await offerLatest(tx, runKey, run.data.metrics);
      await upsertInputs(tx, i.run_id, run.inputs?.dataset_inputs ?? []);
      const outputs = run.outputs?.model_outputs ?? [];
      if (outputs.length > 0) {
        await tx.query(
          `INSERT INTO run_outputs (run_uuid, model_id, step) SELECT $1, m, s FROM unnest($2::text[], $3::bigint[]) AS x(m, s)
           ON CONFLICT (run_uuid, model_id) DO UPDATE SET step = excluded.step WHERE run_outputs.step <> excluded.step`,
          [i.run_id, outputs.map((o) => o.model_id), outputs.map((o) => Math.trunc(o.step))],
        );
      }
      return { changed: tx.totalChanges() > 0 };
    });
  }

  async importLoggedModel(model: LoggedModel): Promise<{ changed: boolean }> {
    const i = model.info;
    const eid = parseExperimentId(i.experiment_id);
    return this.db.write('logged-model.import', i.model_id, async (tx) => {
      const existing = await tx.one<{ experiment_id: number }>('SELECT experiment_id FROM logged_models WHERE model_id = $1 FOR UPDATE', [i.model_id]);
      if (!existing) await this.experiments.mustExist(tx, eid);
      else if (Number(existing.experiment_id) !== eid) {
        throw new CairnError('RESOURCE_CONFLICT', `Logged model ${i.model_id} already exists here under experiment ${existing.experiment_id}, not ${eid}.`);
      }
      await tx.query(
        `INSERT INTO logged_models (model_id, experiment_id, name, creation_timestamp_ms, last_updated_timestamp_ms, artifact_uri, status, creator_id, model_type, source_run_id, status_message)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (model_id) DO UPDATE SET name = excluded.name, creation_timestamp_ms = excluded.creation_timestamp_ms, last_updated_timestamp_ms = excluded.last_updated_timestamp_ms,
           artifact_uri = excluded.artifact_uri, status = excluded.status, creator_id = excluded.creator_id, model_type = excluded.model_type,
           source_run_id = excluded.source_run_id, status_message = excluded.status_message
         WHERE (logged_models.name, logged_models.creation_timestamp_ms, logged_models.last_updated_timestamp_ms, logged_models.artifact_uri, logged_models.status,
                logged_models.creator_id, logged_models.model_type, logged_models.source_run_id, logged_models.status_message)
           IS DISTINCT FROM (excluded.name, excluded.creation_timestamp_ms, excluded.last_updated_timestamp_ms, excluded.artifact_uri, excluded.status,
                excluded.creator_id, excluded.model_type, excluded.source_run_id, excluded.status_message)`,
        [i.model_id, eid, i.name, i.creation_timestamp_ms, i.last_updated_timestamp_ms, i.artifact_uri, i.status, i.creator_id, i.model_type, i.source_run_id, i.status_message],
      );
      await upsertKeyValues(tx, 'logged_model_tags', i.model_id, i.tags);
      for (const p of model.data.params) {
        await tx.query('INSERT INTO logged_model_params (model_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (model_id, key) DO NOTHING', [i.model_id, p.key, p.value]);
        if (tx.changes() > 0) continue;
        const old = await tx.one<{ value: string }>('SELECT value FROM logged_model_params WHERE model_id = $1 AND key = $2', [i.model_id, p.key]);
        if (old && old.value !== p.value) throw invalidParam(`Param '${p.key}' of logged model ${i.model_id} is '${old.value}' here, not '${p.value}': params cannot change.`);
      }
      return { changed: tx.totalChanges() > 0 };
    });
  }
}
