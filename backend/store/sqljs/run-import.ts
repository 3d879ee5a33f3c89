import type { Run } from '../../api/mlflow';
import type { LoggedModel } from '../../api/registry';
import { CairnError, invalidParam } from '../../core/errors';
import { isNewerMetric } from '../../tracking/latest';
import type { RunImportStore } from '../run-import';
import type { DurableDb, Tx } from './durable-db';
import type { SqlExperiments } from './experiments';
import { parseExperimentId } from './experiments';

const RUN_NAME_TAG = 'mlflow.runName';
const MAX_DOUBLE = Number.MAX_VALUE;

/** Imports for the embedded store (the rules are in store/run-import.ts). */
export class SqlRunImport implements RunImportStore {
  constructor(
    private readonly db: DurableDb,
    private readonly experiments: SqlExperiments,
  ) {}

  async importRun(run: Run): Promise<{ changed: boolean }> {
    const i = run.info;
    const eid = parseExperimentId(i.experiment_id);
    return this.db.write((tx) => {
      let changed = 0;
      const exec = (sql: string, params: (string | number | null)[]) => {
        tx.run(sql, params);
        changed += tx.changes();
      };
      const existing = tx.get<{ experiment_id: number; run_key: number }>('SELECT experiment_id, run_key FROM runs WHERE run_uuid = ?', [i.run_id]);
      const deletedTime = i.lifecycle_stage === 'deleted' ? Date.now() : null;
      let runKey: number;
      if (!existing) {
        this.experiments.mustExist(eid);
        runKey = Number(tx.get<{ next: number }>('SELECT coalesce(max(run_key), 0) + 1 AS next FROM runs')?.next);
        exec(
          'INSERT INTO runs (run_key, run_uuid, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri, deleted_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [runKey, i.run_id, eid, i.run_name, i.user_id, i.status, i.start_time, i.end_time ?? null, i.lifecycle_stage, i.artifact_uri, deletedTime],
        );
      } else {
        runKey = existing.run_key;
        if (Number(existing.experiment_id) !== eid) {
          throw new CairnError('RESOURCE_CONFLICT', `Run ${i.run_id} already exists here under experiment ${existing.experiment_id}, not ${eid}.`);
        }
        exec(
          `UPDATE runs SET run_name = ?, user_id = ?, status = ?, start_time = ?, end_time = ?, artifact_uri = ?, lifecycle_stage = ?,
             deleted_time = CASE WHEN ? = 'deleted' THEN coalesce(deleted_time, ?) ELSE NULL END
           WHERE run_uuid = ? AND NOT (run_name IS ? AND user_id IS ? AND status IS ? AND start_time IS ? AND end_time IS ? AND artifact_uri IS ? AND lifecycle_stage IS ?)`,
          [
            i.run_name, i.user_id, i.status, i.start_time, i.end_time ?? null, i.artifact_uri, i.lifecycle_stage, i.lifecycle_stage, Date.now(), i.run_id,
            i.run_name, i.user_id, i.status, i.start_time, i.end_time ?? null, i.artifact_uri, i.lifecycle_stage,
          ],
        );
      }
      for (const p of run.data.params) {
        const old = tx.get<{ value: string }>('SELECT value FROM params WHERE run_key = ? AND key = ?', [runKey, p.key]);
        if (!old) exec('INSERT INTO params (run_key, key, value) VALUES (?, ?, ?)', [runKey, p.key, p.value]);
        else if (old.value !== p.value) throw invalidParam(`Param '${p.key}' of run ${i.run_id} is '${old.value}' here, not '${p.value}': params cannot change.`);
      }
      const tags = [...run.data.tags.filter((t) => t.key !== RUN_NAME_TAG), { key: RUN_NAME_TAG, value: i.run_name }];
      for (const t of tags) {
        exec('INSERT INTO tags (run_key, key, value) VALUES (?, ?, ?) ON CONFLICT(run_key, key) DO UPDATE SET value = excluded.value WHERE value != excluded.value', [
          runKey, t.key, t.value,
        ]);
      }
      for (const m of run.data.metrics) changed += offerLatest(tx, runKey, m);
      for (const { dataset, tags: inputTags } of run.inputs?.dataset_inputs ?? []) {
        const context = inputTags.find((t) => t.key === 'mlflow.data.context')?.value ?? '';
        exec(
          `INSERT INTO run_inputs (run_uuid, name, digest, source_type, source, schema, profile, context, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(run_uuid, name, digest) DO UPDATE SET context = excluded.context, tags = excluded.tags WHERE context != excluded.context OR tags != excluded.tags`,
          [i.run_id, dataset.name, dataset.digest, dataset.source_type, dataset.source, dataset.schema ?? null, dataset.profile ?? null, context, JSON.stringify(inputTags)],
        );
      }
      for (const o of run.outputs?.model_outputs ?? []) {
        exec('INSERT INTO run_outputs (run_uuid, model_id, step) VALUES (?, ?, ?) ON CONFLICT(run_uuid, model_id) DO UPDATE SET step = excluded.step WHERE step != excluded.step', [
          i.run_id, o.model_id, o.step,
        ]);
      }
      return { changed: changed > 0 };
    });
  }

  async importLoggedModel(model: LoggedModel): Promise<{ changed: boolean }> {
    const i = model.info;
    const eid = parseExperimentId(i.experiment_id);
    return this.db.write((tx) => {
      let changed = 0;
      const exec = (sql: string, params: (string | number | null)[]) => {
        tx.run(sql, params);
        changed += tx.changes();
      };
      const existing = tx.get<{ experiment_id: number }>('SELECT experiment_id FROM logged_models WHERE model_id = ?', [i.model_id]);
      if (!existing) this.experiments.mustExist(eid);
      else if (Number(existing.experiment_id) !== eid) {
        throw new CairnError('RESOURCE_CONFLICT', `Logged model ${i.model_id} already exists here under experiment ${existing.experiment_id}, not ${eid}.`);
      }
      const fields = [i.name, i.creation_timestamp_ms, i.last_updated_timestamp_ms, i.artifact_uri, i.status, i.creator_id, i.model_type, i.source_run_id, i.status_message];
      exec(
        `INSERT INTO logged_models (model_id, experiment_id, name, creation_timestamp_ms, last_updated_timestamp_ms, artifact_uri, status, creator_id, model_type, source_run_id, status_message)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(model_id) DO UPDATE SET name = excluded.name, creation_timestamp_ms = excluded.creation_timestamp_ms, last_updated_timestamp_ms = excluded.last_updated_timestamp_ms,
           artifact_uri = excluded.artifact_uri, status = excluded.status, creator_id = excluded.creator_id, model_type = excluded.model_type,
           source_run_id = excluded.source_run_id, status_message = excluded.status_message
         WHERE NOT (name IS excluded.name AND creation_timestamp_ms IS excluded.creation_timestamp_ms AND last_updated_timestamp_ms IS excluded.last_updated_timestamp_ms
           AND artifact_uri IS excluded.artifact_uri AND status IS excluded.status AND creator_id IS excluded.creator_id AND model_type IS excluded.model_type
           AND source_run_id IS excluded.source_run_id AND status_message IS excluded.status_message)`,
        [i.model_id, eid, ...fields],
      );
      for (const t of i.tags) {
        exec('INSERT INTO logged_model_tags (model_id, key, value) VALUES (?, ?, ?) ON CONFLICT(model_id, key) DO UPDATE SET value = excluded.value WHERE value != excluded.value', [
          i.model_id, t.key, t.value,
        ]);
      }
      for (const p of model.data.params) {
        const old = tx.get<{ value: string }>('SELECT value FROM logged_model_params WHERE model_id = ? AND key = ?', [i.model_id, p.key]);
        if (!old) exec('INSERT INTO logged_model_params (model_id, key, value) VALUES (?, ?, ?)', [i.model_id, p.key, p.value]);
        else if (old.value !== p.value) throw invalidParam(`Param '${p.key}' of logged model ${i.model_id} is '${old.value}' here, not '${p.value}': params cannot change.`);
      }
      return { changed: changed > 0 };
    });
  }
}

function offerLatest(tx: Tx, runKey: number, m: { key: string; value: number; timestamp: number; step: number }): number {
  const old = tx.get<{ value: number | null; timestamp: number; step: number; is_nan: number }>('SELECT value, timestamp, step, is_nan FROM latest_metrics WHERE run_key = ? AND key = ?', [
    runKey, m.key,
  ]);
  if (old && !isNewerMetric(m, { step: old.step, timestamp: old.timestamp, value: old.is_nan ? NaN : Number(old.value) })) return 0;
  const isNan = Number.isNaN(m.value);
  tx.run(
    `INSERT INTO latest_metrics (run_key, key, value, timestamp, step, is_nan) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(run_key, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan`,
    [runKey, m.key, isNan ? null : Math.max(-MAX_DOUBLE, Math.min(MAX_DOUBLE, m.value)), m.timestamp, m.step, isNan ? 1 : 0],
  );
  return tx.changes();
}
