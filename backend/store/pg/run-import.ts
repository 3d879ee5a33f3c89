import type { Run } from '../../api/mlflow';
import { CairnError } from '../../core/errors';
import type { RunImportStore } from '../run-import';
import { parseExperimentId, type PgExperiments } from './experiments';
import type { PgDb } from './pg-db';
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
      return { changed: tx.totalChanges() > 0 };
    });
  }
}
