import type { Experiment, KeyValue, ViewType } from '../../api/mlflow';
import { alreadyExists, invalidParam, invalidState, notFound } from '../../core/errors';
import type { Clause, Order } from '../../search/domain';
import type { ExperimentEntity } from '../../search/experiments';
import type { ExperimentStore, Page, PageRequest } from '../metadata-store';
import type { PgDb, PgTx } from './pg-db';
import { comparison, isExperimentId, lifecycleWhere, Params } from './sql';

type ExperimentRow = {
  experiment_id: number;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
  tags: KeyValue[] | null;
};

const SELECT_EXPERIMENT = `SELECT e.*, (SELECT json_agg(json_build_object('key', t.key, 'value', t.value) ORDER BY t.key)
  FROM experiment_tags t WHERE t.experiment_id = e.experiment_id) AS tags FROM experiments e`;

export const parseExperimentId = (id: string): number => {
  if (!isExperimentId(id)) throw notFound(`No Experiment with id=${id} exists`);
  return Number(id);
};

export class PgExperiments implements ExperimentStore {
  constructor(private readonly db: PgDb) {}

  async createExperiment(req: { name: string; artifactLocation?: string; tags?: KeyValue[] }): Promise<string> {
    const now = Date.now();
    return this.db.write('experiment.create', req.name, async (tx) => {
      const id = (await tx.one<{ id: number }>("SELECT nextval('experiment_ids') AS id"))!.id;
      const location = req.artifactLocation || `mlflow-artifacts:/${id}`;
      await tx.query(
        `INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
         VALUES ($1, $2, $3, 'active', $4, $4) ON CONFLICT (name) DO NOTHING`,
        [id, req.name, location, now],
      );
      if (tx.changes() === 0) throw alreadyExists(`Experiment(name=${req.name}) already exists.`);
      for (const t of req.tags ?? []) {
        await tx.query('INSERT INTO experiment_tags (experiment_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value', [id, t.key, t.value]);
      }
      return String(id);
    });
  }

  async getExperiment(id: string): Promise<Experiment> {
    const row = await this.db.one<ExperimentRow>(`${SELECT_EXPERIMENT} WHERE e.experiment_id = $1`, [parseExperimentId(id)]);
    if (!row) throw notFound(`No Experiment with id=${id} exists`);
    return toExperiment(row);
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    const row = await this.db.one<ExperimentRow>(`${SELECT_EXPERIMENT} WHERE e.name = $1`, [name]);
    return row ? toExperiment(row) : undefined;
  }

  async searchExperiments(req: PageRequest & { viewType: ViewType; filter: Clause<ExperimentEntity>[]; orderBy: Order<ExperimentEntity>[] }): Promise<Page<Experiment>> {
    const p = new Params();
    const where = [lifecycleWhere('e.lifecycle_stage', req.viewType)];
    for (const c of req.filter) {
      if (c.entity === 'tag') {
        where.push(`EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = ${p.add(c.key)} AND ${comparison(p, 't.value', c.op, c.value)})`);
      } else where.push(comparison(p, `e.${c.key}`, c.op, c.value));
    }
    const order = req.orderBy.map((o) => `e.${o.key} ${o.asc ? 'ASC' : 'DESC'}`);
    order.push('e.experiment_id DESC');
    const rows = await this.db.query<ExperimentRow>(
      `${SELECT_EXPERIMENT} WHERE ${where.join(' AND ')} ORDER BY ${order.join(', ')} LIMIT ${p.add(req.maxResults + 1)} OFFSET ${p.add(req.offset)}`,
      p.values,
    );
    const more = rows.length > req.maxResults;
    return { items: rows.slice(0, req.maxResults).map(toExperiment), nextOffset: more ? req.offset + req.maxResults : undefined };
  }

  async renameExperiment(id: string, newName: string): Promise<void> {
    const eid = parseExperimentId(id);
    await this.db.write('experiment.rename', id, async (tx) => {
      const row = await this.mustExist(tx, eid, true);
      if (row.lifecycle_stage !== 'active') throw invalidParam(`Cannot rename a non-active experiment ${id}.`);
      const other = await tx.one<{ experiment_id: number }>('SELECT experiment_id FROM experiments WHERE name = $1', [newName]);
      if (other && other.experiment_id !== eid) throw alreadyExists(`Experiment(name=${newName}) already exists.`);
      await tx.query('UPDATE experiments SET name = $1, last_update_time = $2 WHERE experiment_id = $3', [newName, Date.now(), eid]);
    });
  }

  async deleteExperiment(id: string): Promise<void> {
    const eid = parseExperimentId(id);
    const now = Date.now();
    await this.db.write('experiment.delete', id, async (tx) => {
      const row = await this.mustExist(tx, eid, true);
      if (row.lifecycle_stage === 'deleted') return;
      await tx.query("UPDATE experiments SET lifecycle_stage = 'deleted', last_update_time = $1 WHERE experiment_id = $2", [now, eid]);
      // The experiment's active runs go with it and come back with it (MLflow does the same).
      await tx.query("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = $1 WHERE experiment_id = $2 AND lifecycle_stage = 'active'", [now, eid]);
    });
  }

  async restoreExperiment(id: string): Promise<void> {
    const eid = parseExperimentId(id);
    await this.db.write('experiment.restore', id, async (tx) => {
      const row = await this.mustExist(tx, eid, true);
      if (row.lifecycle_stage === 'active') return;
      const clash = await tx.one("SELECT 1 AS x FROM experiments WHERE name = $1 AND lifecycle_stage = 'active' AND experiment_id <> $2", [row.name, eid]);
      if (clash) throw alreadyExists(`Cannot restore experiment ${id}: an active experiment named '${row.name}' exists.`);
      await tx.query("UPDATE experiments SET lifecycle_stage = 'active', last_update_time = $1 WHERE experiment_id = $2", [Date.now(), eid]);
      await tx.query("UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE experiment_id = $1 AND deleted_time = $2", [eid, row.last_update_time]);
    });
  }

  async setExperimentTag(id: string, key: string, value: string): Promise<void> {
    const eid = parseExperimentId(id);
    await this.db.write('experiment.set-tag', `${id}/${key}`, async (tx) => {
      await this.mustBeActive(tx, eid);
      await tx.query(
        'INSERT INTO experiment_tags (experiment_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value WHERE experiment_tags.value <> excluded.value',
        [eid, key, value],
      );
    });
  }

  async deleteExperimentTag(id: string, key: string): Promise<void> {
    const eid = parseExperimentId(id);
    await this.db.write('experiment.delete-tag', `${id}/${key}`, async (tx) => {
      await this.mustBeActive(tx, eid);
      await tx.query('DELETE FROM experiment_tags WHERE experiment_id = $1 AND key = $2', [eid, key]);
      if (tx.changes() === 0) throw notFound(`No tag with name: ${key} in experiment ${id}.`);
    });
  }

  /** The experiment row inside a transaction; `lock` keeps it from changing until commit. */
  async mustExist(tx: PgTx, eid: number, lock = false): Promise<ExperimentRow> {
    const row = await tx.one<ExperimentRow>(`SELECT * FROM experiments WHERE experiment_id = $1${lock ? ' FOR UPDATE' : ' FOR SHARE'}`, [eid]);
    if (!row) throw notFound(`No Experiment with id=${eid} exists`);
    return row;
  }

  async mustBeActive(tx: PgTx, eid: number): Promise<ExperimentRow> {
    const row = await this.mustExist(tx, eid);
    if (row.lifecycle_stage !== 'active') throw invalidState(`The experiment ${eid} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`);
    return row;
  }
}

function toExperiment(r: ExperimentRow): Experiment {
  return {
    experiment_id: String(r.experiment_id),
    name: r.name,
    artifact_location: r.artifact_location,
    lifecycle_stage: r.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
    creation_time: Number(r.creation_time),
    last_update_time: Number(r.last_update_time),
    tags: r.tags ?? [],
  };
}
