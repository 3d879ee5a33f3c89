import type { Experiment, KeyValue, ViewType } from '../../api/mlflow';
import { alreadyExists, invalidParam, invalidState, notFound } from '../../core/errors';
import type { Clause, Order } from '../../search/domain';
import type { ExperimentEntity } from '../../search/experiments';
import type { ExperimentStore, Page, PageRequest } from '../metadata-store';
import type { DurableDb } from './durable-db';
import type { SqlParam } from './journal';
import { asParams, num, sqlComparison, str } from './rows';

type ExperimentRow = {
  experiment_id: number;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
};

export const lifecycleWhere = (column: string, viewType: ViewType): string =>
  viewType === 'ALL' ? '1' : viewType === 'DELETED_ONLY' ? `${column} = 'deleted'` : `${column} = 'active'`;

export const parseExperimentId = (id: string): number => {
  if (!/^\d{1,15}$/.test(id)) throw notFound(`No Experiment with id=${id} exists`);
  return Number(id);
};

export class SqlExperiments implements ExperimentStore {
  constructor(private readonly db: DurableDb) {}

  async createExperiment(req: { name: string; artifactLocation?: string; tags?: KeyValue[] }): Promise<string> {
    const now = Date.now();
    return this.db.write((tx) => {
      if (tx.get('SELECT 1 AS x FROM experiments WHERE name = ?', [req.name])) {
        throw alreadyExists(`Experiment(name=${req.name}) already exists.`);
      }
      const id = num(tx.get<{ next: number }>('SELECT coalesce(max(experiment_id), -1) + 1 AS next FROM experiments')?.next);
      const location = req.artifactLocation || `mlflow-artifacts:/${id}`;
      tx.run(
        "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (?, ?, ?, 'active', ?, ?)",
        [id, req.name, location, now, now],
      );
      for (const t of req.tags ?? []) tx.run('INSERT OR REPLACE INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)', [id, t.key, t.value]);
      return String(id);
    });
  }

  async getExperiment(id: string): Promise<Experiment> {
    const row = this.db.get<ExperimentRow>('SELECT * FROM experiments WHERE experiment_id = ?', [parseExperimentId(id)]);
    if (!row) throw notFound(`No Experiment with id=${id} exists`);
    return this.hydrate([row])[0]!;
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    const row = this.db.get<ExperimentRow>('SELECT * FROM experiments WHERE name = ?', [name]);
    return row ? this.hydrate([row])[0] : undefined;
  }

  async searchExperiments(req: PageRequest & { viewType: ViewType; filter: Clause<ExperimentEntity>[]; orderBy: Order<ExperimentEntity>[] }): Promise<Page<Experiment>> {
    const where = [lifecycleWhere('e.lifecycle_stage', req.viewType)];
    const params: SqlParam[] = [];
    req.filter.forEach((c, i) => {
      if (c.entity === 'tag') {
        where.push(`EXISTS (SELECT 1 FROM experiment_tags t${i} WHERE t${i}.experiment_id = e.experiment_id AND t${i}.key = ? AND ${sqlComparison(`t${i}.value`, c.op)})`);
        params.push(c.key, ...asParams(c.value));
      } else {
        where.push(sqlComparison(`e.${c.key}`, c.op));
        params.push(...asParams(c.value));
      }
    });
    const order = req.orderBy.map((o) => `e.${o.key} ${o.asc ? 'ASC' : 'DESC'}`);
    order.push('e.experiment_id DESC');
    const rows = this.db.all<ExperimentRow>(
      `SELECT e.* FROM experiments e WHERE ${where.join(' AND ')} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`,
      [...params, req.maxResults + 1, req.offset],
    );
    const more = rows.length > req.maxResults;
    return { items: this.hydrate(rows.slice(0, req.maxResults)), nextOffset: more ? req.offset + req.maxResults : undefined };
  }

  async renameExperiment(id: string, newName: string): Promise<void> {
    const eid = parseExperimentId(id);
    await this.db.write((tx) => {
      const row = this.mustExist(eid);
      if (row.lifecycle_stage !== 'active') throw invalidParam(`Cannot rename a non-active experiment ${id}.`);
      const other = tx.get<{ experiment_id: number }>('SELECT experiment_id FROM experiments WHERE name = ?', [newName]);
      if (other && other.experiment_id !== eid) throw alreadyExists(`Experiment(name=${newName}) already exists.`);
      tx.run('UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?', [newName, Date.now(), eid]);
    });
  }

  async deleteExperiment(id: string): Promise<void> {
    const eid = parseExperimentId(id);
    const now = Date.now();
    await this.db.write((tx) => {
      const row = this.mustExist(eid);
      if (row.lifecycle_stage === 'deleted') return;
      tx.run("UPDATE experiments SET lifecycle_stage = 'deleted', last_update_time = ? WHERE experiment_id = ?", [now, eid]);
      // The experiment's active runs go with it and come back with it (MLflow does the same).
      tx.run("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE experiment_id = ? AND lifecycle_stage = 'active'", [now, eid]);
    });
  }

  async restoreExperiment(id: string): Promise<void> {
    const eid = parseExperimentId(id);
    await this.db.write((tx) => {
      const row = this.mustExist(eid);
      if (row.lifecycle_stage === 'active') return;
      const clash = tx.get("SELECT 1 AS x FROM experiments WHERE name = ? AND lifecycle_stage = 'active' AND experiment_id != ?", [row.name, eid]);
      if (clash) throw alreadyExists(`Cannot restore experiment ${id}: an active experiment named '${row.name}' exists.`);
      tx.run("UPDATE experiments SET lifecycle_stage = 'active', last_update_time = ? WHERE experiment_id = ?", [Date.now(), eid]);
      tx.run("UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE experiment_id = ? AND deleted_time = ?", [eid, row.last_update_time]);
    });
  }

  async setExperimentTag(id: string, key: string, value: string): Promise<void> {
    const eid = parseExperimentId(id);
    await this.db.write((tx) => {
      this.mustBeActive(eid);
      tx.run('INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?) ON CONFLICT(experiment_id, key) DO UPDATE SET value = excluded.value', [eid, key, value]);
    });
  }

  async deleteExperimentTag(id: string, key: string): Promise<void> {
    const eid = parseExperimentId(id);
    await this.db.write((tx) => {
      this.mustBeActive(eid);
      tx.run('DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?', [eid, key]);
      if (tx.changes() === 0) throw notFound(`No tag with name: ${key} in experiment ${id}.`);
    });
  }

  mustExist(eid: number): ExperimentRow {
    const row = this.db.get<ExperimentRow>('SELECT * FROM experiments WHERE experiment_id = ?', [eid]);
    if (!row) throw notFound(`No Experiment with id=${eid} exists`);
    return row;
  }

  mustBeActive(eid: number): ExperimentRow {
    const row = this.mustExist(eid);
    if (row.lifecycle_stage !== 'active') throw invalidState(`The experiment ${eid} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`);
    return row;
  }

  private hydrate(rows: ExperimentRow[]): Experiment[] {
    return rows.map((r) => ({
      experiment_id: String(r.experiment_id),
      name: str(r.name),
      artifact_location: str(r.artifact_location),
      lifecycle_stage: r.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
      creation_time: num(r.creation_time),
      last_update_time: num(r.last_update_time),
      tags: this.db.all<KeyValue>('SELECT key, value FROM experiment_tags WHERE experiment_id = ? ORDER BY key', [r.experiment_id]),
    }));
  }
}
