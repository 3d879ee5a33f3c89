import type { DatasetInput, KeyValue, Metric, Run, RunInfo, RunStatus, ViewType } from '../../api/mlflow';
import { invalidParam, invalidState, notFound } from '../../core/errors';
import { newRunId } from '../../core/ids';
import type { RunClause, RunOrder } from '../../search/runs';
import type { CreateRunRequest, Page, PageRequest, RunStore } from '../metadata-store';
import type { DurableDb, Tx } from './durable-db';
import type { SqlExperiments } from './experiments';
import { parseExperimentId } from './experiments';
import type { SqlParam } from './journal';
import { num, optNum, placeholders, str } from './rows';
import { isNewerMetric } from '../../tracking/latest';
import { searchRunKeys } from './run-search';

type RunRow = {
  run_key: number;
  run_uuid: string;
  experiment_id: number;
  run_name: string;
  user_id: string;
  status: string;
  start_time: number;
  end_time: number | null;
  lifecycle_stage: string;
  artifact_uri: string;
};

const RUN_NAME_TAG = 'mlflow.runName';
const MAX_DOUBLE = Number.MAX_VALUE;

export class SqlRuns implements RunStore {
  constructor(
    private readonly db: DurableDb,
    private readonly experiments: SqlExperiments,
  ) {}

  async createRun(req: CreateRunRequest): Promise<Run> {
    const eid = parseExperimentId(req.experimentId);
    const runId = newRunId();
    await this.db.write((tx) => {
      const exp = this.experiments.mustExist(eid);
      if (exp.lifecycle_stage !== 'active') throw invalidState(`Could not create run under non-active experiment with ID ${req.experimentId}.`);
      const artifactUri = `${exp.artifact_location.replace(/\/+$/, '')}/${runId}/artifacts`;
      // An explicit key (not SQLite's implicit one) so journal replay reproduces it exactly.
      const runKey = num(tx.get<{ next: number }>('SELECT coalesce(max(run_key), 0) + 1 AS next FROM runs')?.next);
      tx.run(
        "INSERT INTO runs (run_key, run_uuid, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri) VALUES (?, ?, ?, ?, ?, 'RUNNING', ?, NULL, 'active', ?)",
        [runKey, runId, eid, req.runName, req.userId, req.startTime, artifactUri],
      );
      const tags = new Map(req.tags.map((t) => [t.key, t.value]));
      tags.set(RUN_NAME_TAG, req.runName);
      for (const [key, value] of tags) tx.run('INSERT INTO tags (run_key, key, value) VALUES (?, ?, ?)', [runKey, key, value]);
    });
    return this.getRun(runId);
  }

  async getRun(runId: string): Promise<Run> {
    const row = this.row(runId);
    if (!row) throw notFound(`Run with id=${runId} not found`);
    return this.hydrate([row])[0]!;
  }

  async updateRun(runId: string, req: { status?: RunStatus; endTime?: number; runName?: string }): Promise<RunInfo> {
    await this.db.write((tx) => {
      const run = this.mustBeActive(runId);
      if (req.status !== undefined) tx.run('UPDATE runs SET status = ? WHERE run_key = ?', [req.status, run.run_key]);
      if (req.endTime !== undefined) tx.run('UPDATE runs SET end_time = ? WHERE run_key = ?', [req.endTime, run.run_key]);
      if (req.runName) this.rename(tx, run.run_key, req.runName);
    });
    return (await this.getRun(runId)).info;
  }

  async deleteRun(runId: string): Promise<void> {
    await this.db.write((tx) => {
      if (!this.row(runId)) throw notFound(`Run with id=${runId} not found`);
      tx.run("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE run_uuid = ?", [Date.now(), runId]);
    });
  }

  async restoreRun(runId: string): Promise<void> {
    await this.db.write((tx) => {
      if (!this.row(runId)) throw notFound(`Run with id=${runId} not found`);
      tx.run("UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_uuid = ?", [runId]);
    });
  }

  async logBatch(runId: string, batch: { params: KeyValue[]; tags: KeyValue[]; latest: Metric[] }): Promise<void> {
    await this.db.write((tx) => {
      const runKey = this.mustBeActive(runId).run_key;
      for (const p of batch.params) {
        const old = tx.get<{ value: string }>('SELECT value FROM params WHERE run_key = ? AND key = ?', [runKey, p.key]);
        if (!old) tx.run('INSERT INTO params (run_key, key, value) VALUES (?, ?, ?)', [runKey, p.key, p.value]);
        else if (old.value !== p.value) {
          throw invalidParam(
            `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${old.value}' for run ID='${runId}'. Attempted logging new value '${p.value}'.`,
          );
        }
      }
      for (const t of batch.tags) this.setTag(tx, runKey, t.key, t.value);
      for (const m of batch.latest) this.offerLatest(tx, runKey, m);
    });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.db.write((tx) => {
      tx.run('DELETE FROM tags WHERE run_key = ? AND key = ?', [this.mustBeActive(runId).run_key, key]);
      if (tx.changes() === 0) throw notFound(`No tag with name: ${key} in run with id ${runId}`);
    });
  }

  async assertRunActive(runId: string): Promise<RunInfo> {
    return this.info(this.mustBeActive(runId));
  }

  async logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    await this.db.write((tx) => {
      this.mustBeActive(runId);
      for (const { dataset, tags } of inputs) {
        const context = tags.find((t) => t.key === 'mlflow.data.context')?.value ?? '';
        tx.run(
          `INSERT INTO run_inputs (run_uuid, name, digest, source_type, source, schema, profile, context, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(run_uuid, name, digest) DO UPDATE SET context = excluded.context, tags = excluded.tags`,
          [runId, dataset.name, dataset.digest, dataset.source_type, dataset.source, dataset.schema ?? null, dataset.profile ?? null, context, JSON.stringify(tags)],
        );
      }
    });
  }

  async searchRuns(req: PageRequest & { experimentIds: string[]; viewType: ViewType; filter: RunClause[]; orderBy: RunOrder[] }): Promise<Page<Run>> {
    const experimentIds = req.experimentIds.filter((id) => /^\d{1,15}$/.test(id)).map(Number);
    if (experimentIds.length === 0) return { items: [] };
    const keys = searchRunKeys(this.db, { ...req, experimentIds, limit: req.maxResults + 1 });
    const more = keys.length > req.maxResults;
    const pageKeys = keys.slice(0, req.maxResults);
    const rows = pageKeys.length ? this.db.all<RunRow>(`SELECT * FROM runs WHERE run_key IN (${placeholders(pageKeys.length)})`, pageKeys) : [];
    const byKey = new Map(rows.map((r) => [r.run_key, r]));
    return { items: this.hydrate(pageKeys.map((k) => byKey.get(k)!)), nextOffset: more ? req.offset + req.maxResults : undefined };
  }

  private row(runId: string): RunRow | undefined {
    return this.db.get<RunRow>('SELECT * FROM runs WHERE run_uuid = ?', [runId]);
  }

  private mustBeActive(runId: string): RunRow {
    const row = this.row(runId);
    if (!row) throw notFound(`Run with id=${runId} not found`);
    if (row.lifecycle_stage !== 'active') throw invalidState(`The run ${runId} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`);
    return row;
  }

  private rename(tx: Tx, runKey: number, name: string): void {
    tx.run('UPDATE runs SET run_name = ? WHERE run_key = ?', [name, runKey]);
    tx.run('INSERT INTO tags (run_key, key, value) VALUES (?, ?, ?) ON CONFLICT(run_key, key) DO UPDATE SET value = excluded.value', [runKey, RUN_NAME_TAG, name]);
  }

  private setTag(tx: Tx, runKey: number, key: string, value: string): void {
    if (key === RUN_NAME_TAG) return this.rename(tx, runKey, value);
    tx.run('INSERT INTO tags (run_key, key, value) VALUES (?, ?, ?) ON CONFLICT(run_key, key) DO UPDATE SET value = excluded.value', [runKey, key, value]);
  }

  private offerLatest(tx: Tx, runKey: number, m: Metric): void {
    const old = tx.get<{ value: number | null; timestamp: number; step: number; is_nan: number }>(
      'SELECT value, timestamp, step, is_nan FROM latest_metrics WHERE run_key = ? AND key = ?',
      [runKey, m.key],
    );
    if (old && !isNewerMetric(m, { step: old.step, timestamp: old.timestamp, value: old.is_nan ? NaN : num(old.value) })) return;
    const isNan = Number.isNaN(m.value);
    // Like MLflow's SQL store: NaN is a flag, ±Infinity is clamped to ±max double.
    const value = isNan ? null : Math.max(-MAX_DOUBLE, Math.min(MAX_DOUBLE, m.value));
    tx.run(
      `INSERT INTO latest_metrics (run_key, key, value, timestamp, step, is_nan) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(run_key, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan`,
      [runKey, m.key, value, m.timestamp, m.step, isNan ? 1 : 0],
    );
  }

  private info(r: RunRow): RunInfo {
    return {
      run_id: r.run_uuid,
      run_uuid: r.run_uuid,
      run_name: str(r.run_name),
      experiment_id: String(r.experiment_id),
      user_id: str(r.user_id),
      status: r.status as RunStatus,
      start_time: num(r.start_time),
      end_time: optNum(r.end_time),
      artifact_uri: str(r.artifact_uri),
      lifecycle_stage: r.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
    };
  }

  /** Loads params, tags, latest metrics and inputs of many runs with one query each. */
  private hydrate(rows: RunRow[]): Run[] {
    if (rows.length === 0) return [];
    const keys = rows.map((r) => r.run_key);
    const inList = placeholders(keys.length);
    const group = <T>(sql: string, params: SqlParam[], map: (row: unknown[]) => T): Map<string, T[]> => {
      const out = new Map<string, T[]>();
      for (const row of this.db.values(sql, params)) {
        const id = String(row[0]);
        let list = out.get(id);
        if (!list) out.set(id, (list = []));
        list.push(map(row));
      }
      return out;
    };
    const kv = (r: unknown[]) => ({ key: String(r[1]), value: String(r[2]) });
    const params = group(`SELECT run_key, key, value FROM params WHERE run_key IN (${inList}) ORDER BY run_key, key`, keys, kv);
    const tags = group(`SELECT run_key, key, value FROM tags WHERE run_key IN (${inList}) ORDER BY run_key, key`, keys, kv);
    const metrics = group(`SELECT run_key, key, value, timestamp, step, is_nan FROM latest_metrics WHERE run_key IN (${inList}) ORDER BY run_key, key`, keys, (r) => ({
      key: String(r[1]),
      value: r[5] ? NaN : Number(r[2]),
      timestamp: Number(r[3]),
      step: Number(r[4]),
    }));
    const ids = rows.map((r) => r.run_uuid);
    const inputs = group(
      `SELECT run_uuid, name, digest, source_type, source, schema, profile, tags FROM run_inputs WHERE run_uuid IN (${placeholders(ids.length)}) ORDER BY run_uuid, name`,
      ids,
      (r) => ({
        tags: JSON.parse(String(r[7])) as KeyValue[],
        dataset: {
          name: String(r[1]),
          digest: String(r[2]),
          source_type: String(r[3]),
          source: String(r[4]),
          ...(r[5] === null ? {} : { schema: String(r[5]) }),
          ...(r[6] === null ? {} : { profile: String(r[6]) }),
        },
      }),
    );
    return rows.map((r) => {
      const k = String(r.run_key);
      return {
        info: this.info(r),
        data: { metrics: metrics.get(k) ?? [], params: params.get(k) ?? [], tags: tags.get(k) ?? [] },
        inputs: { dataset_inputs: inputs.get(r.run_uuid) ?? [] },
      };
    });
  }
}
