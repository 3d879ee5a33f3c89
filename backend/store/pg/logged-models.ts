import type { KeyValue } from '../../api/mlflow';
import type { LoggedModel, LoggedModelStatus } from '../../api/registry';
import { currentActor } from '../../auth/actor';
import { invalidParam, notFound } from '../../core/errors';
import { newLoggedModelId } from '../../core/ids';
import type { Clause, Order } from '../../search/domain';
import type { LoggedModelEntity } from '../../search/logged-models';
import type { LoggedModelStore, Page, PageRequest } from '../metadata-store';
import { parseExperimentId, type PgExperiments } from './experiments';
import type { PgDb, PgTx } from './pg-db';
import { comparison, isExperimentId, Params } from './sql';

type ModelRow = {
  model_id: string;
  experiment_id: number;
  name: string;
  creation_timestamp_ms: number;
  last_updated_timestamp_ms: number;
  artifact_uri: string;
  status: string;
  creator_id: string;
  model_type: string;
  source_run_id: string;
  status_message: string;
  tags: KeyValue[] | null;
  params: KeyValue[] | null;
};

const COLUMN: Record<string, string> = {
  name: 'm.name',
  model_id: 'm.model_id',
  model_type: 'm.model_type',
  source_run_id: 'm.source_run_id',
  status: 'm.status',
  creation_timestamp: 'm.creation_timestamp_ms',
  last_updated_timestamp: 'm.last_updated_timestamp_ms',
};

/** Logged models with their tags and params, in one round trip. */
const SELECT_MODEL = `SELECT m.*,
  (SELECT json_agg(json_build_object('key', t.key, 'value', t.value) ORDER BY t.key) FROM logged_model_tags t WHERE t.model_id = m.model_id) AS tags,
  (SELECT json_agg(json_build_object('key', p.key, 'value', p.value) ORDER BY p.key) FROM logged_model_params p WHERE p.model_id = m.model_id) AS params
  FROM logged_models m`;

/** MLflow 3 logged models on PostgreSQL (the behaviour of store/sqljs/logged-models.ts). */
export class PgLoggedModels implements LoggedModelStore {
  constructor(
    private readonly db: PgDb,
    private readonly experiments: PgExperiments,
  ) {}

  async createLoggedModel(req: { experimentId: string; name: string; modelType?: string; sourceRunId?: string; params?: KeyValue[]; tags?: KeyValue[]; userId?: string }): Promise<LoggedModel> {
    const eid = parseExperimentId(req.experimentId);
    const id = newLoggedModelId();
    const now = Date.now();
    await this.db.write('logged-model.create', id, async (tx) => {
      const exp = await this.experiments.mustBeActive(tx, eid);
      const uri = `${exp.artifact_location.replace(/\/+$/, '')}/models/${id}/artifacts`;
      await tx.query(
        `INSERT INTO logged_models (model_id, experiment_id, name, creation_timestamp_ms, last_updated_timestamp_ms, artifact_uri, status, creator_id, model_type, source_run_id, status_message)
         VALUES ($1, $2, $3, $4, $4, $5, 'LOGGED_MODEL_PENDING', $6, $7, $8, '')`,
        [id, eid, req.name, now, uri, req.userId || currentActor()?.user || '', req.modelType ?? '', req.sourceRunId ?? ''],
      );
      await upsertKeyValues(tx, 'logged_model_tags', id, req.tags ?? []);
      await upsertKeyValues(tx, 'logged_model_params', id, req.params ?? []);
    });
    return this.getLoggedModel(id);
  }

  async getLoggedModel(modelId: string): Promise<LoggedModel> {
    const row = await this.db.one<ModelRow>(`${SELECT_MODEL} WHERE m.model_id = $1`, [modelId]);
    if (!row) throw missing(modelId);
    return toLoggedModel(row);
  }

  async finalizeLoggedModel(modelId: string, status: LoggedModelStatus): Promise<LoggedModel> {
    await this.db.write('logged-model.finalize', modelId, async (tx) => {
      await tx.query('UPDATE logged_models SET status = $1, last_updated_timestamp_ms = $2 WHERE model_id = $3', [status, Date.now(), modelId]);
      if (tx.changes() === 0) throw missing(modelId);
    });
    return this.getLoggedModel(modelId);
  }

  async searchLoggedModels(req: PageRequest & { experimentIds: string[]; filter: Clause<LoggedModelEntity>[]; orderBy: Order<LoggedModelEntity>[] }): Promise<Page<LoggedModel>> {
    const eids = req.experimentIds.filter(isExperimentId).map(Number);
    if (eids.length === 0) return { items: [] };
    const p = new Params();
    const where = [`m.experiment_id = ANY(${p.add(eids)}::bigint[])`];
    for (const c of req.filter) {
      if (c.entity === 'attribute') where.push(comparison(p, COLUMN[c.key]!, c.op, c.value));
      else {
        const table = c.entity === 'tag' ? 'logged_model_tags' : 'logged_model_params';
        where.push(`EXISTS (SELECT 1 FROM ${table} x WHERE x.model_id = m.model_id AND x.key = ${p.add(c.key)} AND ${comparison(p, 'x.value', c.op, c.value)})`);
      }
    }
    const order = req.orderBy.map((o) => `${COLUMN[o.key]} ${o.asc ? 'ASC' : 'DESC'}`);
    order.push('m.creation_timestamp_ms DESC', 'm.model_id ASC');
    const rows = await this.db.query<ModelRow>(
      `${SELECT_MODEL} WHERE ${where.join(' AND ')} ORDER BY ${order.join(', ')} LIMIT ${p.add(req.maxResults + 1)} OFFSET ${p.add(req.offset)}`,
      p.values,
    );
    const more = rows.length > req.maxResults;
    return { items: rows.slice(0, req.maxResults).map(toLoggedModel), nextOffset: more ? req.offset + req.maxResults : undefined };
  }

  async setLoggedModelTags(modelId: string, tags: KeyValue[]): Promise<void> {
    await this.db.write('logged-model.set-tags', modelId, async (tx) => {
      await mustExist(tx, modelId);
      await upsertKeyValues(tx, 'logged_model_tags', modelId, tags);
      await tx.query('UPDATE logged_models SET last_updated_timestamp_ms = $1 WHERE model_id = $2', [Date.now(), modelId]);
    });
  }

  async deleteLoggedModelTag(modelId: string, key: string): Promise<void> {
    await this.db.write('logged-model.delete-tag', `${modelId}/${key}`, async (tx) => {
      await mustExist(tx, modelId);
      await tx.query('DELETE FROM logged_model_tags WHERE model_id = $1 AND key = $2', [modelId, key]);
      if (tx.changes() === 0) throw notFound(`No tag with key '${key}' on logged model ${modelId}.`);
    });
  }

  async logLoggedModelParams(modelId: string, params: KeyValue[]): Promise<void> {
    await this.db.write('logged-model.log-params', modelId, async (tx) => {
      await mustExist(tx, modelId);
      for (const p of params) {
        await tx.query('INSERT INTO logged_model_params (model_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (model_id, key) DO NOTHING', [modelId, p.key, p.value]);
        if (tx.changes() > 0) continue;
        const old = await tx.one<{ value: string }>('SELECT value FROM logged_model_params WHERE model_id = $1 AND key = $2', [modelId, p.key]);
        if (old && old.value !== p.value) throw invalidParam(`Changing param values is not allowed: '${p.key}' of logged model ${modelId} is already '${old.value}'.`);
      }
    });
  }

  async deleteLoggedModel(modelId: string): Promise<void> {
    await this.db.write('logged-model.delete', modelId, async (tx) => {
      await mustExist(tx, modelId, true);
      for (const table of ['logged_models', 'logged_model_tags', 'logged_model_params', 'run_outputs']) await tx.query(`DELETE FROM ${table} WHERE model_id = $1`, [modelId]);
    });
  }

  async logOutputs(runId: string, outputs: { modelId: string; step: number }[]): Promise<void> {
    await this.db.write('run.log-outputs', runId, async (tx) => {
      if (!(await tx.one('SELECT 1 AS x FROM runs WHERE run_uuid = $1 FOR SHARE', [runId]))) throw notFound(`Run with id=${runId} not found`);
      for (const o of outputs) {
        await mustExist(tx, o.modelId);
        await tx.query(
          'INSERT INTO run_outputs (run_uuid, model_id, step) VALUES ($1, $2, $3) ON CONFLICT (run_uuid, model_id) DO UPDATE SET step = excluded.step WHERE run_outputs.step <> excluded.step',
          [runId, o.modelId, Math.trunc(o.step)],
        );
      }
    });
  }
}

const missing = (modelId: string) => notFound(`Logged model with ID '${modelId}' not found.`);

/** The model, locked against deletion (or, with `forUpdate`, any change) until the transaction ends. */
async function mustExist(tx: PgTx, modelId: string, forUpdate = false): Promise<void> {
  if (!(await tx.one(`SELECT 1 AS x FROM logged_models WHERE model_id = $1 ${forUpdate ? 'FOR UPDATE' : 'FOR SHARE'}`, [modelId]))) throw missing(modelId);
}

/** Sets keys of a model's tags or params (the last value of a key wins); an unchanged value writes nothing. */
export async function upsertKeyValues(tx: PgTx, table: 'logged_model_tags' | 'logged_model_params', modelId: string, kvs: KeyValue[]): Promise<void> {
  const last = new Map(kvs.map((t) => [t.key, t.value]));
  if (last.size === 0) return;
  await tx.query(
    `INSERT INTO ${table} (model_id, key, value) SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS x(k, v)
     ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value WHERE ${table}.value <> excluded.value`,
    [modelId, [...last.keys()], [...last.values()]],
  );
}

function toLoggedModel(r: ModelRow): LoggedModel {
  return {
    info: {
      model_id: r.model_id,
      experiment_id: String(r.experiment_id),
      name: r.name,
      creation_timestamp_ms: Number(r.creation_timestamp_ms),
      last_updated_timestamp_ms: Number(r.last_updated_timestamp_ms),
      artifact_uri: r.artifact_uri,
      status: r.status as LoggedModelStatus,
      creator_id: r.creator_id,
      model_type: r.model_type,
      source_run_id: r.source_run_id,
      status_message: r.status_message,
      tags: r.tags ?? [],
    },
    data: { params: r.params ?? [], metrics: [] },
  };
}
