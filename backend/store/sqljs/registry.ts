import type { KeyValue, ModelStage, ModelVersion, RegisteredModel } from '../../api/mlflow';
import { MODEL_STAGES } from '../../api/mlflow';
import { alreadyExists, invalidParam, notFound } from '../../core/errors';
import type { Clause, Order } from '../../search/domain';
import type { ModelEntity } from '../../search/models';
import type { Page, PageRequest, RegistryStore } from '../metadata-store';
import type { DurableDb, Tx } from './durable-db';
import type { SqlParam } from './journal';
import { asParams, num, placeholders, sqlComparison, str } from './rows';
import { canonicalStage, parseVersion } from '../../registry/version-refs';

type ModelRow = { name: string; creation_timestamp: number; last_updated_timestamp: number; user_id: string; description: string };
type VersionRow = {
  name: string;
  version: number;
  creation_timestamp: number;
  last_updated_timestamp: number;
  user_id: string;
  current_stage: string;
  description: string;
  source: string;
  run_id: string;
  run_link: string;
  status: string;
  status_message: string;
  model_id: string;
};

const VERSION_COLUMN: Record<string, string> = {
  name: 'v.name',
  version_number: 'v.version',
  run_id: 'v.run_id',
  source_path: 'v.source',
  creation_timestamp: 'v.creation_timestamp',
  last_updated_timestamp: 'v.last_updated_timestamp',
};

export class SqlRegistry implements RegistryStore {
  constructor(private readonly db: DurableDb) {}

  async createRegisteredModel(req: { name: string; description?: string; tags?: KeyValue[]; userId?: string }): Promise<RegisteredModel> {
    const now = Date.now();
    await this.db.write((tx) => {
      if (this.modelRow(req.name)) throw alreadyExists(`Registered Model (name=${req.name}) already exists.`);
      tx.run('INSERT INTO registered_models (name, creation_timestamp, last_updated_timestamp, user_id, description) VALUES (?, ?, ?, ?, ?)', [
        req.name, now, now, req.userId ?? '', req.description ?? '',
      ]);
      for (const t of req.tags ?? []) tx.run('INSERT OR REPLACE INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)', [req.name, t.key, t.value]);
    });
    return this.getRegisteredModel(req.name);
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.hydrateModel(this.mustModel(name));
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    await this.db.write((tx) => {
      this.mustModel(name);
      if (this.modelRow(newName)) throw alreadyExists(`Registered Model (name=${newName}) already exists.`);
      for (const table of ['registered_models', 'registered_model_tags', 'model_versions', 'model_version_tags', 'registered_model_aliases']) {
        tx.run(`UPDATE ${table} SET name = ? WHERE name = ?`, [newName, name]);
      }
      tx.run('UPDATE registered_models SET last_updated_timestamp = ? WHERE name = ?', [Date.now(), newName]);
    });
    return this.getRegisteredModel(newName);
  }

  async updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> {
    await this.db.write((tx) => {
      this.mustModel(name);
      tx.run('UPDATE registered_models SET description = ?, last_updated_timestamp = ? WHERE name = ?', [description, Date.now(), name]);
    });
    return this.getRegisteredModel(name);
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    await this.db.write((tx) => {
      this.mustModel(name);
      for (const table of ['registered_models', 'registered_model_tags', 'model_versions', 'model_version_tags', 'registered_model_aliases']) {
        tx.run(`DELETE FROM ${table} WHERE name = ?`, [name]);
      }
    });
  }

  async searchRegisteredModels(req: PageRequest & { filter: Clause<ModelEntity>[]; orderBy: Order<ModelEntity>[] }): Promise<Page<RegisteredModel>> {
    const where: string[] = ['1'];
    const params: SqlParam[] = [];
    req.filter.forEach((c, i) => {
      if (c.entity === 'tag') {
        where.push(`EXISTS (SELECT 1 FROM registered_model_tags t${i} WHERE t${i}.name = m.name AND t${i}.key = ? AND ${sqlComparison(`t${i}.value`, c.op)})`);
        params.push(c.key, ...asParams(c.value));
      } else {
        where.push(sqlComparison('m.name', c.op));
        params.push(...asParams(c.value));
      }
    });
    const order = req.orderBy.map((o) => `m.${o.key} ${o.asc ? 'ASC' : 'DESC'}`);
    order.push('m.name ASC');
    const rows = this.db.all<ModelRow>(`SELECT m.* FROM registered_models m WHERE ${where.join(' AND ')} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`, [
      ...params, req.maxResults + 1, req.offset,
    ]);
    const more = rows.length > req.maxResults;
    return { items: rows.slice(0, req.maxResults).map((r) => this.hydrateModel(r)), nextOffset: more ? req.offset + req.maxResults : undefined };
  }

  async getLatestVersions(name: string, stages: ModelStage[]): Promise<ModelVersion[]> {
    this.mustModel(name);
    const wanted = stages.length ? stages.map((s) => canonicalStage(s)) : [...MODEL_STAGES];
    const rows = this.db.all<VersionRow>(
      `SELECT v.* FROM model_versions v WHERE v.name = ? AND v.current_stage IN (${placeholders(wanted.length)})
       AND v.version = (SELECT max(version) FROM model_versions w WHERE w.name = v.name AND w.current_stage = v.current_stage) ORDER BY v.version`,
      [name, ...wanted],
    );
    return rows.map((r) => this.hydrateVersion(r));
  }

  async createModelVersion(req: { name: string; source: string; runId?: string; runLink?: string; description?: string; tags?: KeyValue[]; userId?: string; modelId?: string }): Promise<ModelVersion> {
    const now = Date.now();
    const version = await this.db.write((tx) => {
      this.mustModel(req.name);
      const v = num(tx.get<{ next: number }>('SELECT coalesce(max(version), 0) + 1 AS next FROM model_versions WHERE name = ?', [req.name])?.next);
      tx.run(
        `INSERT INTO model_versions (name, version, creation_timestamp, last_updated_timestamp, user_id, current_stage, description, source, run_id, run_link, status, status_message, model_id)
         VALUES (?, ?, ?, ?, ?, 'None', ?, ?, ?, ?, 'READY', '', ?)`,
        [req.name, v, now, now, req.userId ?? '', req.description ?? '', req.source, req.runId ?? '', req.runLink ?? '', req.modelId ?? ''],
      );
      for (const t of req.tags ?? []) tx.run('INSERT OR REPLACE INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)', [req.name, v, t.key, t.value]);
      this.touch(tx, req.name, now);
      return v;
    });
    return this.getModelVersion(req.name, String(version));
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.hydrateVersion(this.mustVersion(name, version));
  }

  async updateModelVersion(name: string, version: string, description: string): Promise<ModelVersion> {
    await this.db.write((tx) => {
      const v = this.mustVersion(name, version);
      tx.run('UPDATE model_versions SET description = ?, last_updated_timestamp = ? WHERE name = ? AND version = ?', [description, Date.now(), name, v.version]);
    });
    return this.getModelVersion(name, version);
  }

  async transitionStage(name: string, version: string, stage: ModelStage, archiveExisting: boolean): Promise<ModelVersion> {
    const target = canonicalStage(stage);
    if (archiveExisting && target !== 'Staging' && target !== 'Production') {
      throw invalidParam(`Model version transition cannot archive existing model versions because '${target}' is not an Active stage. Valid stages are Staging and Production.`);
    }
    const now = Date.now();
    await this.db.write((tx) => {
      const v = this.mustVersion(name, version);
      tx.run('UPDATE model_versions SET current_stage = ?, last_updated_timestamp = ? WHERE name = ? AND version = ?', [target, now, name, v.version]);
      if (archiveExisting) {
        tx.run("UPDATE model_versions SET current_stage = 'Archived', last_updated_timestamp = ? WHERE name = ? AND version != ? AND current_stage = ?", [now, name, v.version, target]);
      }
      this.touch(tx, name, now);
    });
    return this.getModelVersion(name, version);
  }

  async deleteModelVersion(name: string, version: string): Promise<void> {
    await this.db.write((tx) => {
      const v = this.mustVersion(name, version);
      tx.run('DELETE FROM model_versions WHERE name = ? AND version = ?', [name, v.version]);
      tx.run('DELETE FROM model_version_tags WHERE name = ? AND version = ?', [name, v.version]);
      tx.run('DELETE FROM registered_model_aliases WHERE name = ? AND version = ?', [name, v.version]);
      this.touch(tx, name, Date.now());
    });
  }

  async searchModelVersions(req: PageRequest & { filter: Clause<ModelEntity>[]; orderBy: Order<ModelEntity>[] }): Promise<Page<ModelVersion>> {
    const where: string[] = ['1'];
    const params: SqlParam[] = [];
    req.filter.forEach((c, i) => {
      const values = asParams(c.value);
      if (c.entity === 'tag') {
        where.push(`EXISTS (SELECT 1 FROM model_version_tags t${i} WHERE t${i}.name = v.name AND t${i}.version = v.version AND t${i}.key = ? AND ${sqlComparison(`t${i}.value`, c.op)})`);
        params.push(c.key, ...values);
      } else {
        where.push(sqlComparison(VERSION_COLUMN[c.key]!, c.op, values.length));
        params.push(...values);
      }
    });
    const order = req.orderBy.map((o) => `${VERSION_COLUMN[o.key]} ${o.asc ? 'ASC' : 'DESC'}`);
    order.push('v.name ASC', 'v.version DESC');
    const rows = this.db.all<VersionRow>(`SELECT v.* FROM model_versions v WHERE ${where.join(' AND ')} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`, [
      ...params, req.maxResults + 1, req.offset,
    ]);
    const more = rows.length > req.maxResults;
    return { items: rows.slice(0, req.maxResults).map((r) => this.hydrateVersion(r)), nextOffset: more ? req.offset + req.maxResults : undefined };
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    await this.db.write((tx) => {
      this.mustModel(name);
      tx.run('INSERT INTO registered_model_tags (name, key, value) VALUES (?, ?, ?) ON CONFLICT(name, key) DO UPDATE SET value = excluded.value', [name, key, value]);
    });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    await this.db.write((tx) => {
      this.mustModel(name);
      tx.run('DELETE FROM registered_model_tags WHERE name = ? AND key = ?', [name, key]);
    });
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    await this.db.write((tx) => {
      const v = this.mustVersion(name, version);
      tx.run('INSERT INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?) ON CONFLICT(name, version, key) DO UPDATE SET value = excluded.value', [
        name, v.version, key, value,
      ]);
    });
  }

  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    await this.db.write((tx) => {
      const v = this.mustVersion(name, version);
      tx.run('DELETE FROM model_version_tags WHERE name = ? AND version = ? AND key = ?', [name, v.version, key]);
    });
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.db.write((tx) => {
      const v = this.mustVersion(name, version);
      tx.run('INSERT INTO registered_model_aliases (name, alias, version) VALUES (?, ?, ?) ON CONFLICT(name, alias) DO UPDATE SET version = excluded.version', [
        name, alias, v.version,
      ]);
      this.touch(tx, name, Date.now());
    });
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.db.write((tx) => {
      this.mustModel(name);
      tx.run('DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?', [name, alias]);
    });
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    this.mustModel(name);
    const row = this.db.get<{ version: number }>('SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?', [name, alias]);
    if (!row) throw notFound(`Registered model alias ${alias} not found.`);
    return this.getModelVersion(name, String(row.version));
  }

  private touch(tx: Tx, name: string, now: number): void {
    tx.run('UPDATE registered_models SET last_updated_timestamp = ? WHERE name = ?', [now, name]);
  }

  private modelRow(name: string): ModelRow | undefined {
    return this.db.get<ModelRow>('SELECT * FROM registered_models WHERE name = ?', [name]);
  }

  private mustModel(name: string): ModelRow {
    const row = this.modelRow(name);
    if (!row) throw notFound(`Registered Model with name=${name} not found`);
    return row;
  }

  private mustVersion(name: string, version: string): VersionRow {
    const row = this.db.get<VersionRow>('SELECT * FROM model_versions WHERE name = ? AND version = ?', [name, parseVersion(version)]);
    if (!row) throw notFound(`Model Version (name=${name}, version=${version}) not found`);
    return row;
  }

  private hydrateModel(r: ModelRow): RegisteredModel {
    const latest = this.db.all<VersionRow>(
      `SELECT v.* FROM model_versions v WHERE v.name = ?
       AND v.version = (SELECT max(version) FROM model_versions w WHERE w.name = v.name AND w.current_stage = v.current_stage) ORDER BY v.version`,
      [r.name],
    );
    return {
      name: str(r.name),
      creation_timestamp: num(r.creation_timestamp),
      last_updated_timestamp: num(r.last_updated_timestamp),
      user_id: str(r.user_id),
      description: str(r.description),
      latest_versions: latest.map((v) => this.hydrateVersion(v)),
      tags: this.db.all<KeyValue>('SELECT key, value FROM registered_model_tags WHERE name = ? ORDER BY key', [r.name]),
      aliases: this.db
        .all<{ alias: string; version: number }>('SELECT alias, version FROM registered_model_aliases WHERE name = ? ORDER BY alias', [r.name])
        .map((a) => ({ alias: a.alias, version: String(a.version) })),
    };
  }

  private hydrateVersion(r: VersionRow): ModelVersion {
    return {
      name: str(r.name),
      version: String(r.version),
      creation_timestamp: num(r.creation_timestamp),
      last_updated_timestamp: num(r.last_updated_timestamp),
      user_id: str(r.user_id),
      current_stage: r.current_stage as ModelStage,
      description: str(r.description),
      source: str(r.source),
      run_id: str(r.run_id),
      status: 'READY',
      status_message: str(r.status_message),
      tags: this.db.all<KeyValue>('SELECT key, value FROM model_version_tags WHERE name = ? AND version = ? ORDER BY key', [r.name, r.version]),
      run_link: str(r.run_link),
      aliases: this.db.all<{ alias: string }>('SELECT alias FROM registered_model_aliases WHERE name = ? AND version = ? ORDER BY alias', [r.name, r.version]).map((a) => a.alias),
      ...(r.model_id ? { model_id: str(r.model_id) } : {}),
    };
  }
}
