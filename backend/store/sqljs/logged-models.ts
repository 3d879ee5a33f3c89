import type { KeyValue } from '../../api/mlflow';
import type { LoggedModel, LoggedModelStatus } from '../../api/registry';
import { invalidParam, notFound } from '../../core/errors';
import { newLoggedModelId } from '../../core/ids';
import type { Clause, Order } from '../../search/domain';
import type { LoggedModelEntity } from '../../search/logged-models';
import type { LoggedModelStore, Page, PageRequest } from '../metadata-store';
import type { DurableDb } from './durable-db';
import type { SqlExperiments } from './experiments';
import { parseExperimentId } from './experiments';
import type { SqlParam } from './journal';
import { asParams, num, placeholders, sqlComparison, str } from './rows';

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

export class SqlLoggedModels implements LoggedModelStore {
  constructor(
    private readonly db: DurableDb,
    private readonly experiments: SqlExperiments,
  ) {}

  async createLoggedModel(req: { experimentId: string; name: string; modelType?: string; sourceRunId?: string; params?: KeyValue[]; tags?: KeyValue[]; userId?: string }): Promise<LoggedModel> {
    const eid = parseExperimentId(req.experimentId);
    const id = newLoggedModelId();
    const now = Date.now();
    await this.db.write((tx) => {
      const exp = this.experiments.mustBeActive(eid);
      const uri = `${exp.artifact_location.replace(/\/+$/, '')}/models/${id}/artifacts`;
      tx.run(
        `INSERT INTO logged_models (model_id, experiment_id, name, creation_timestamp_ms, last_updated_timestamp_ms, artifact_uri, status, creator_id, model_type, source_run_id, status_message)
         VALUES (?, ?, ?, ?, ?, ?, 'LOGGED_MODEL_PENDING', ?, ?, ?, '')`,
        [id, eid, req.name, now, now, uri, req.userId ?? '', req.modelType ?? '', req.sourceRunId ?? ''],
      );
      for (const t of req.tags ?? []) tx.run('INSERT OR REPLACE INTO logged_model_tags (model_id, key, value) VALUES (?, ?, ?)', [id, t.key, t.value]);
      for (const p of req.params ?? []) tx.run('INSERT OR REPLACE INTO logged_model_params (model_id, key, value) VALUES (?, ?, ?)', [id, p.key, p.value]);
    });
    return this.getLoggedModel(id);
  }

  async getLoggedModel(modelId: string): Promise<LoggedModel> {
    return this.hydrate(this.must(modelId));
  }

  async finalizeLoggedModel(modelId: string, status: LoggedModelStatus): Promise<LoggedModel> {
    await this.db.write((tx) => {
      this.must(modelId);
      tx.run('UPDATE logged_models SET status = ?, last_updated_timestamp_ms = ? WHERE model_id = ?', [status, Date.now(), modelId]);
    });
    return this.getLoggedModel(modelId);
  }

  async searchLoggedModels(req: PageRequest & { experimentIds: string[]; filter: Clause<LoggedModelEntity>[]; orderBy: Order<LoggedModelEntity>[] }): Promise<Page<LoggedModel>> {
    const eids = req.experimentIds.filter((id) => /^\d{1,15}$/.test(id)).map(Number);
    if (eids.length === 0) return { items: [] };
    const where = [`m.experiment_id IN (${placeholders(eids.length)})`];
    const params: SqlParam[] = [...eids];
    req.filter.forEach((c, i) => {
      if (c.entity === 'attribute') {
        where.push(sqlComparison(COLUMN[c.key]!, c.op));
        params.push(...asParams(c.value));
      } else {
        const table = c.entity === 'tag' ? 'logged_model_tags' : 'logged_model_params';
        where.push(`EXISTS (SELECT 1 FROM ${table} x${i} WHERE x${i}.model_id = m.model_id AND x${i}.key = ? AND ${sqlComparison(`x${i}.value`, c.op)})`);
        params.push(c.key, ...asParams(c.value));
      }
    });
    const order = req.orderBy.map((o) => `${COLUMN[o.key]} ${o.asc ? 'ASC' : 'DESC'}`);
    order.push('m.creation_timestamp_ms DESC', 'm.model_id ASC');
    const rows = this.db.all<ModelRow>(`SELECT m.* FROM logged_models m WHERE ${where.join(' AND ')} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`, [
      ...params, req.maxResults + 1, req.offset,
    ]);
    const more = rows.length > req.maxResults;
    return { items: rows.slice(0, req.maxResults).map((r) => this.hydrate(r)), nextOffset: more ? req.offset + req.maxResults : undefined };
  }

  async setLoggedModelTags(modelId: string, tags: KeyValue[]): Promise<void> {
    await this.db.write((tx) => {
      this.must(modelId);
      for (const t of tags) tx.run('INSERT INTO logged_model_tags (model_id, key, value) VALUES (?, ?, ?) ON CONFLICT(model_id, key) DO UPDATE SET value = excluded.value', [modelId, t.key, t.value]);
      tx.run('UPDATE logged_models SET last_updated_timestamp_ms = ? WHERE model_id = ?', [Date.now(), modelId]);
    });
  }

  async deleteLoggedModelTag(modelId: string, key: string): Promise<void> {
    await this.db.write((tx) => {
      this.must(modelId);
      tx.run('DELETE FROM logged_model_tags WHERE model_id = ? AND key = ?', [modelId, key]);
      if (tx.changes() === 0) throw notFound(`No tag with key '${key}' on logged model ${modelId}.`);
    });
  }

  async logLoggedModelParams(modelId: string, params: KeyValue[]): Promise<void> {
    await this.db.write((tx) => {
      this.must(modelId);
      for (const p of params) {
        const old = tx.get<{ value: string }>('SELECT value FROM logged_model_params WHERE model_id = ? AND key = ?', [modelId, p.key]);
        if (!old) tx.run('INSERT INTO logged_model_params (model_id, key, value) VALUES (?, ?, ?)', [modelId, p.key, p.value]);
        else if (old.value !== p.value) throw invalidParam(`Changing param values is not allowed: '${p.key}' of logged model ${modelId} is already '${old.value}'.`);
      }
    });
  }

  async deleteLoggedModel(modelId: string): Promise<void> {
    await this.db.write((tx) => {
      this.must(modelId);
      for (const table of ['logged_models', 'logged_model_tags', 'logged_model_params', 'run_outputs']) tx.run(`DELETE FROM ${table} WHERE model_id = ?`, [modelId]);
    });
  }

  async logOutputs(runId: string, outputs: { modelId: string; step: number }[]): Promise<void> {
    await this.db.write((tx) => {
      const run = tx.get<{ lifecycle_stage: string }>('SELECT lifecycle_stage FROM runs WHERE run_uuid = ?', [runId]);
      if (!run) throw notFound(`Run with id=${runId} not found`);
      for (const o of outputs) {
        this.must(o.modelId);
        tx.run('INSERT INTO run_outputs (run_uuid, model_id, step) VALUES (?, ?, ?) ON CONFLICT(run_uuid, model_id) DO UPDATE SET step = excluded.step', [runId, o.modelId, o.step]);
      }
    });
  }

  private must(modelId: string): ModelRow {
    const row = this.db.get<ModelRow>('SELECT * FROM logged_models WHERE model_id = ?', [modelId]);
    if (!row) throw notFound(`Logged model with ID '${modelId}' not found.`);
    return row;
  }

  private hydrate(r: ModelRow): LoggedModel {
    return {
      info: {
        model_id: str(r.model_id),
        experiment_id: String(r.experiment_id),
        name: str(r.name),
        creation_timestamp_ms: num(r.creation_timestamp_ms),
        last_updated_timestamp_ms: num(r.last_updated_timestamp_ms),
        artifact_uri: str(r.artifact_uri),
        status: r.status as LoggedModelStatus,
        creator_id: str(r.creator_id),
        model_type: str(r.model_type),
        source_run_id: str(r.source_run_id),
        status_message: str(r.status_message),
        tags: this.db.all<KeyValue>('SELECT key, value FROM logged_model_tags WHERE model_id = ? ORDER BY key', [r.model_id]),
      },
      data: {
        params: this.db.all<KeyValue>('SELECT key, value FROM logged_model_params WHERE model_id = ? ORDER BY key', [r.model_id]),
        metrics: [],
      },
    };
  }
}
