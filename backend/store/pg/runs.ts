import type { DatasetInput, KeyValue, Metric, Run, RunInfo, RunStatus, ViewType } from '../../api/mlflow';
import { currentActor } from '../../auth/actor';
import { invalidParam, invalidState, notFound } from '../../core/errors';
import { newRunId } from '../../core/ids';
import type { RunClause, RunOrder } from '../../search/runs';
import type { CreateRunRequest, Page, PageRequest, RunStore } from '../metadata-store';
import { parseExperimentId, type PgExperiments } from './experiments';
import { auditWho, type PgDb, type PgParam, type PgTx } from './pg-db';
import { loadRuns, toRunInfo, type RunRow } from './run-rows';
import { searchRunIds } from './run-search';
import { isExperimentId } from './sql';

export const RUN_NAME_TAG = 'mlflow.runName';
const MAX_DOUBLE = Number.MAX_VALUE;

export class PgRuns implements RunStore {
  constructor(
    private readonly db: PgDb,
    private readonly experiments: PgExperiments,
  ) {}

  async createRun(req: CreateRunRequest): Promise<Run> {
    const eid = parseExperimentId(req.experimentId);
    const runId = newRunId();
    await this.db.write('run.create', runId, async (tx) => {
      const exp = await this.experiments.mustExist(tx, eid);
      if (exp.lifecycle_stage !== 'active') throw invalidState(`Could not create run under non-active experiment with ID ${req.experimentId}.`);
      const artifactUri = `${exp.artifact_location.replace(/\/+$/, '')}/${runId}/artifacts`;
      const { run_key: runKey } = (await tx.one<{ run_key: number }>(
        `INSERT INTO runs (run_uuid, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri)
         VALUES ($1, $2, $3, $4, 'RUNNING', $5, NULL, 'active', $6) RETURNING run_key`,
        [runId, eid, req.runName, req.userId || currentActor()?.user || '', req.startTime, artifactUri],
      ))!;
      const tags = new Map(req.tags.map((t) => [t.key, t.value]));
      tags.set(RUN_NAME_TAG, req.runName);
      await upsertTags(tx, runKey, [...tags].map(([key, value]) => ({ key, value })));
    });
    return this.getRun(runId);
  }

  async getRun(runId: string): Promise<Run> {
    const [run] = await loadRuns(this.db, [runId]);
    if (!run) throw notFound(`Run with id=${runId} not found`);
    return run;
  }

  async updateRun(runId: string, req: { status?: RunStatus; endTime?: number; runName?: string }): Promise<RunInfo> {
    await this.db.write('run.update', runId, async (tx) => {
      const { run_key: runKey } = await mustBeActive(tx, runId, true);
      if (req.status !== undefined) await tx.query('UPDATE runs SET status = $1 WHERE run_key = $2', [req.status, runKey]);
      if (req.endTime !== undefined) await tx.query('UPDATE runs SET end_time = $1 WHERE run_key = $2', [req.endTime, runKey]);
      if (req.runName) await rename(tx, runKey, req.runName);
    });
    return (await this.getRun(runId)).info;
  }

  async deleteRun(runId: string): Promise<void> {
    await this.db.write('run.delete', runId, async (tx) => {
      await tx.query("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = $1 WHERE run_uuid = $2", [Date.now(), runId]);
      if (tx.changes() === 0) throw notFound(`Run with id=${runId} not found`);
    });
  }

  async restoreRun(runId: string): Promise<void> {
    await this.db.write('run.restore', runId, async (tx) => {
      await tx.query("UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_uuid = $1", [runId]);
      if (tx.changes() === 0) throw notFound(`Run with id=${runId} not found`);
    });
  }

  async logBatch(runId: string, batch: { params: KeyValue[]; tags: KeyValue[]; latest: Metric[] }): Promise<void> {
    if (batch.params.length === 0 && batch.tags.length === 0) return this.logLatestOnly(runId, batch.latest);
    await this.db.write('run.log-batch', runId, async (tx) => {
      const { run_key: runKey } = await mustBeActive(tx, runId);
      await insertParams(tx, runKey, runId, batch.params);
      await upsertTags(tx, runKey, batch.tags);
      await offerLatest(tx, runKey, batch.latest);
    });
  }

  /**
   * The common case of a metrics-only batch as ONE statement (its own transaction): lock the run,
   * offer the latest values, and append the audit row if anything changed. Logging is the hot
   * path, and every round trip to the database counts there.
   */
  private async logLatestOnly(runId: string, metrics: Metric[]): Promise<void> {
    const list = [...new Map(metrics.map((m) => [m.key, m])).values()];
    const [row] = await this.db.query<{ lifecycle_stage: string }>(
      `WITH run AS (SELECT run_key, lifecycle_stage FROM runs WHERE run_uuid = $1 FOR SHARE),
       offered AS (${latestUpsert('run.run_key', "run WHERE run.lifecycle_stage = 'active'")} RETURNING 1),
       audited AS (INSERT INTO audit_log (at, actor, role, action, target) SELECT $7, $8, $9, 'run.log-batch', $1 WHERE EXISTS (SELECT 1 FROM offered))
       SELECT lifecycle_stage FROM run`,
      [runId, ...latestColumns(list), ...auditWho()],
    );
    checkActive(row as RunRow | undefined, runId);
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.db.write('run.delete-tag', `${runId}/${key}`, async (tx) => {
      const { run_key: runKey } = await mustBeActive(tx, runId);
      await tx.query('DELETE FROM tags WHERE run_key = $1 AND key = $2', [runKey, key]);
      if (tx.changes() === 0) throw notFound(`No tag with name: ${key} in run with id ${runId}`);
    });
  }

  async assertRunActive(runId: string): Promise<RunInfo> {
    const row = await this.db.one<RunRow>('SELECT * FROM runs WHERE run_uuid = $1', [runId]);
    return toRunInfo(checkActive(row, runId));
  }

  async logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    await this.db.write('run.log-inputs', runId, async (tx) => {
      await mustBeActive(tx, runId);
      await upsertInputs(tx, runId, inputs);
    });
  }

  async searchRuns(req: PageRequest & { experimentIds: string[]; viewType: ViewType; filter: RunClause[]; orderBy: RunOrder[] }): Promise<Page<Run>> {
    const experimentIds = req.experimentIds.filter(isExperimentId).map(Number);
    if (experimentIds.length === 0) return { items: [] };
    const ids = await searchRunIds(this.db, { ...req, experimentIds, limit: req.maxResults + 1 });
    const more = ids.length > req.maxResults;
    return { items: await loadRuns(this.db, ids.slice(0, req.maxResults)), nextOffset: more ? req.offset + req.maxResults : undefined };
  }
}

function checkActive(row: RunRow | undefined, runId: string): RunRow {
  if (!row) throw notFound(`Run with id=${runId} not found`);
  if (row.lifecycle_stage !== 'active') throw invalidState(`The run ${runId} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`);
  return row;
}

/** The run, locked against deletion (or, with `forUpdate`, any change) until the transaction ends. */
export async function mustBeActive(tx: PgTx, runId: string, forUpdate = false): Promise<RunRow> {
  return checkActive(await tx.one<RunRow>(`SELECT * FROM runs WHERE run_uuid = $1 ${forUpdate ? 'FOR UPDATE' : 'FOR SHARE'}`, [runId]), runId);
}

async function rename(tx: PgTx, runKey: number, name: string): Promise<void> {
  await tx.query('UPDATE runs SET run_name = $1 WHERE run_key = $2 AND run_name <> $1', [name, runKey]);
  await tx.query(
    'INSERT INTO tags (run_key, key, value) VALUES ($1, $2, $3) ON CONFLICT (run_key, key) DO UPDATE SET value = excluded.value WHERE tags.value <> excluded.value',
    [runKey, RUN_NAME_TAG, name],
  );
}

/** Params are write-once: a known key with another value fails the whole batch. */
export async function insertParams(tx: PgTx, runKey: number, runId: string, params: KeyValue[]): Promise<void> {
  if (params.length === 0) return;
  const keys = params.map((p) => p.key);
  await tx.query(
    'INSERT INTO params (run_key, key, value) SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS x(k, v) ON CONFLICT (run_key, key) DO NOTHING',
    [runKey, keys, params.map((p) => p.value)],
  );
  const stored = await tx.query<KeyValue>('SELECT key, value FROM params WHERE run_key = $1 AND key = ANY($2::text[])', [runKey, keys]);
  const byKey = new Map(stored.map((s) => [s.key, s.value]));
  for (const p of params) {
    const old = byKey.get(p.key);
    if (old !== undefined && old !== p.value) {
      throw invalidParam(
        `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${old}' for run ID='${runId}'. Attempted logging new value '${p.value}'.`,
      );
    }
  }
}

/** Sets tags (the last value of a key wins); `mlflow.runName` renames the run. */
export async function upsertTags(tx: PgTx, runKey: number, tags: KeyValue[]): Promise<void> {
  const last = new Map(tags.map((t) => [t.key, t.value]));
  const runName = last.get(RUN_NAME_TAG);
  if (runName !== undefined) {
    last.delete(RUN_NAME_TAG);
    await rename(tx, runKey, runName);
  }
  if (last.size === 0) return;
  await tx.query(
    `INSERT INTO tags (run_key, key, value) SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS x(k, v)
     ON CONFLICT (run_key, key) DO UPDATE SET value = excluded.value WHERE tags.value <> excluded.value`,
    [runKey, [...last.keys()], [...last.values()]],
  );
}

/**
 * Offers each metric to the latest-value summary: it replaces the stored one only if newer (higher
 * step, then timestamp, then value; NaN lowest). Like MLflow's SQL store, NaN is a flag with a NULL
 * value and ±Infinity is clamped to ±max double.
 */
export async function offerLatest(tx: PgTx, runKey: number, metrics: Metric[]): Promise<void> {
  if (metrics.length === 0) return;
  const list = [...new Map(metrics.map((m) => [m.key, m])).values()];
  await tx.query(latestUpsert('$1'), [runKey, ...latestColumns(list)]);
}

/**
 * Upserts latest values given as arrays ($2…$6) for the run key `runKey` (an expression, joined
 * with `alsoFrom` if given); only newer values replace stored ones.
 */
const latestUpsert = (runKey: string, alsoFrom?: string) => `INSERT INTO latest_metrics (run_key, key, value, timestamp, step, is_nan)
  SELECT ${runKey}, k, v, ts, st, n FROM unnest($2::text[], $3::float8[], $4::bigint[], $5::bigint[], $6::bool[]) AS x(k, v, ts, st, n)${alsoFrom ? `, ${alsoFrom}` : ''}
  ON CONFLICT (run_key, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan
  WHERE (excluded.step, excluded.timestamp, CASE WHEN excluded.is_nan THEN '-Infinity'::float8 ELSE excluded.value END)
      > (latest_metrics.step, latest_metrics.timestamp, CASE WHEN latest_metrics.is_nan THEN '-Infinity'::float8 ELSE latest_metrics.value END)`;

/** Like MLflow's SQL store: NaN is a flag with a NULL value, ±Infinity is clamped to ±max double. */
function latestColumns(list: Metric[]): PgParam[] {
  return [
    list.map((m) => m.key),
    list.map((m) => (Number.isNaN(m.value) ? null : Math.max(-MAX_DOUBLE, Math.min(MAX_DOUBLE, m.value)))),
    list.map((m) => Math.trunc(m.timestamp)),
    list.map((m) => Math.trunc(m.step)),
    list.map((m) => Number.isNaN(m.value)),
  ];
}

/** Records dataset inputs; the same (name, digest) is kept once, its context and tags updated. */
export async function upsertInputs(tx: PgTx, runId: string, inputs: DatasetInput[]): Promise<void> {
  for (const { dataset, tags } of inputs) {
    const context = tags.find((t) => t.key === 'mlflow.data.context')?.value ?? '';
    await tx.query(
      `INSERT INTO run_inputs (run_uuid, name, digest, source_type, source, schema, profile, context, tags) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (run_uuid, name, digest) DO UPDATE SET context = excluded.context, tags = excluded.tags
       WHERE run_inputs.context <> excluded.context OR run_inputs.tags <> excluded.tags`,
      [runId, dataset.name, dataset.digest, dataset.source_type, dataset.source, dataset.schema ?? null, dataset.profile ?? null, context, JSON.stringify(tags)],
    );
  }
}
