import type { KeyValue, ModelStage, ModelVersion, RegisteredModel } from '../../api/mlflow';
import { MODEL_STAGES } from '../../api/mlflow';
import { currentActor } from '../../auth/actor';
import { alreadyExists, invalidParam, notFound } from '../../core/errors';
import type { Clause, Order } from '../../search/domain';
import type { ModelEntity } from '../../search/models';
import type { Page, PageRequest, RegistryStore } from '../metadata-store';
import type { PgDb, PgTx } from './pg-db';
import { comparison, Params } from './sql';
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
  tags: KeyValue[] | null;
  aliases: string[] | null;
};
type HydratedModel = ModelRow & { tags: KeyValue[] | null; aliases: { alias: string; version: number }[] | null; latest: VersionRow[] | null };

const VERSION_COLUMN: Record<string, string> = {
  name: 'v.name',
  version_number: 'v.version',
  run_id: 'v.run_id',
  source_path: 'v.source',
  creation_timestamp: 'v.creation_timestamp',
  last_updated_timestamp: 'v.last_updated_timestamp',
};

const VERSION_EXTRAS = `(SELECT json_agg(json_build_object('key', t.key, 'value', t.value) ORDER BY t.key) FROM model_version_tags t WHERE t.name = v.name AND t.version = v.version) AS tags,
  (SELECT json_agg(a.alias ORDER BY a.alias) FROM registered_model_aliases a WHERE a.name = v.name AND a.version = v.version) AS aliases`;
const SELECT_VERSION = `SELECT v.*, ${VERSION_EXTRAS} FROM model_versions v`;
/** The newest version in each stage, as MLflow's latest_versions. */
const LATEST_PER_STAGE = 'v.version = (SELECT max(w.version) FROM model_versions w WHERE w.name = v.name AND w.current_stage = v.current_stage)';
const SELECT_MODEL = `SELECT m.*,
  (SELECT json_agg(json_build_object('key', t.key, 'value', t.value) ORDER BY t.key) FROM registered_model_tags t WHERE t.name = m.name) AS tags,
  (SELECT json_agg(json_build_object('alias', a.alias, 'version', a.version) ORDER BY a.alias) FROM registered_model_aliases a WHERE a.name = m.name) AS aliases,
  (SELECT json_agg(x ORDER BY x.version) FROM (SELECT v.*, ${VERSION_EXTRAS} FROM model_versions v WHERE v.name = m.name AND ${LATEST_PER_STAGE}) x) AS latest
  FROM registered_models m`;
const MODEL_TABLES = ['registered_models', 'registered_model_tags', 'model_versions', 'model_version_tags', 'registered_model_aliases'];

export class PgRegistry implements RegistryStore {
  constructor(private readonly db: PgDb) {}

  async createRegisteredModel(req: { name: string; description?: string; tags?: KeyValue[]; userId?: string }): Promise<RegisteredModel> {
    const now = Date.now();
    await this.db.write('model.create', req.name, async (tx) => {
      await tx.query(
        'INSERT INTO registered_models (name, creation_timestamp, last_updated_timestamp, user_id, description) VALUES ($1, $2, $2, $3, $4) ON CONFLICT (name) DO NOTHING',
        [req.name, now, req.userId || currentActor()?.user || '', req.description ?? ''],
      );
      if (tx.changes() === 0) throw alreadyExists(`Registered Model (name=${req.name}) already exists.`);
      for (const t of req.tags ?? []) await setTag(tx, 'registered_model_tags', ['name'], [req.name], t);
    });
    return this.getRegisteredModel(req.name);
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const row = await this.db.one<HydratedModel>(`${SELECT_MODEL} WHERE m.name = $1`, [name]);
    if (!row) throw notFound(`Registered Model with name=${name} not found`);
    return toModel(row);
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    await this.db.write('model.rename', `${name} -> ${newName}`, async (tx) => {
      await mustModel(tx, name);
      if (await tx.one('SELECT 1 AS x FROM registered_models WHERE name = $1', [newName])) throw alreadyExists(`Registered Model (name=${newName}) already exists.`);
      for (const table of MODEL_TABLES) await tx.query(`UPDATE ${table} SET name = $1 WHERE name = $2`, [newName, name]);
      await touch(tx, newName, Date.now());
    });
    return this.getRegisteredModel(newName);
  }

  async updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> {
    await this.db.write('model.update', name, async (tx) => {
      await mustModel(tx, name);
      await tx.query('UPDATE registered_models SET description = $1, last_updated_timestamp = $2 WHERE name = $3', [description, Date.now(), name]);
    });
    return this.getRegisteredModel(name);
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    await this.db.write('model.delete', name, async (tx) => {
      await mustModel(tx, name);
      for (const table of MODEL_TABLES) await tx.query(`DELETE FROM ${table} WHERE name = $1`, [name]);
    });
  }

  async searchRegisteredModels(req: PageRequest & { filter: Clause<ModelEntity>[]; orderBy: Order<ModelEntity>[] }): Promise<Page<RegisteredModel>> {
    const p = new Params();
    const where = ['true'];
    for (const c of req.filter) {
      if (c.entity === 'tag') {
        where.push(`EXISTS (SELECT 1 FROM registered_model_tags t WHERE t.name = m.name AND t.key = ${p.add(c.key)} AND ${comparison(p, 't.value', c.op, c.value)})`);
      } else where.push(comparison(p, 'm.name', c.op, c.value));
    }
    const order = req.orderBy.map((o) => `m.${o.key} ${o.asc ? 'ASC' : 'DESC'}`);
    order.push('m.name ASC');
    const rows = await this.db.query<HydratedModel>(
      `${SELECT_MODEL} WHERE ${where.join(' AND ')} ORDER BY ${order.join(', ')} LIMIT ${p.add(req.maxResults + 1)} OFFSET ${p.add(req.offset)}`,
      p.values,
    );
    const more = rows.length > req.maxResults;
    return { items: rows.slice(0, req.maxResults).map(toModel), nextOffset: more ? req.offset + req.maxResults : undefined };
  }

  async getLatestVersions(name: string, stages: ModelStage[]): Promise<ModelVersion[]> {
    await this.getRegisteredModel(name);
    const wanted = stages.length ? stages.map((s) => canonicalStage(s)) : [...MODEL_STAGES];
    const rows = await this.db.query<VersionRow>(`${SELECT_VERSION} WHERE v.name = $1 AND v.current_stage = ANY($2::text[]) AND ${LATEST_PER_STAGE} ORDER BY v.version`, [
      name,
      wanted,
    ]);
    return rows.map(toVersion);
  }

  async createModelVersion(req: { name: string; source: string; runId?: string; runLink?: string; description?: string; tags?: KeyValue[]; userId?: string; modelId?: string }): Promise<ModelVersion> {
    const now = Date.now();
    const version = await this.db.write('model-version.create', req.name, async (tx) => {
      await mustModel(tx, req.name, true);
      const v = (await tx.one<{ next: number }>('SELECT coalesce(max(version), 0) + 1 AS next FROM model_versions WHERE name = $1', [req.name]))!.next;
      await tx.query(
        `INSERT INTO model_versions (name, version, creation_timestamp, last_updated_timestamp, user_id, current_stage, description, source, run_id, run_link, status, status_message, model_id)
         VALUES ($1, $2, $3, $3, $4, 'None', $5, $6, $7, $8, 'READY', '', $9)`,
        [req.name, v, now, req.userId || currentActor()?.user || '', req.description ?? '', req.source, req.runId ?? '', req.runLink ?? '', req.modelId ?? ''],
      );
      for (const t of req.tags ?? []) await setTag(tx, 'model_version_tags', ['name', 'version'], [req.name, v], t);
      await touch(tx, req.name, now);
      return v;
    });
    return this.getModelVersion(req.name, String(version));
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    const row = await this.db.one<VersionRow>(`${SELECT_VERSION} WHERE v.name = $1 AND v.version = $2`, [name, parseVersion(version)]);
    if (!row) throw notFound(`Model Version (name=${name}, version=${version}) not found`);
    return toVersion(row);
  }

  async updateModelVersion(name: string, version: string, description: string): Promise<ModelVersion> {
    await this.db.write('model-version.update', `${name}/${version}`, async (tx) => {
      const v = await mustVersion(tx, name, version);
      await tx.query('UPDATE model_versions SET description = $1, last_updated_timestamp = $2 WHERE name = $3 AND version = $4', [description, Date.now(), name, v]);
    });
    return this.getModelVersion(name, version);
  }

  async transitionStage(name: string, version: string, stage: ModelStage, archiveExisting: boolean): Promise<ModelVersion> {
    const target = canonicalStage(stage);
    if (archiveExisting && target !== 'Staging' && target !== 'Production') {
      throw invalidParam(`Model version transition cannot archive existing model versions because '${target}' is not an Active stage. Valid stages are Staging and Production.`);
    }
    const now = Date.now();
    await this.db.write('model-version.transition-stage', `${name}/${version}`, async (tx) => {
      await mustModel(tx, name, true);
      const v = await mustVersion(tx, name, version);
      await tx.query('UPDATE model_versions SET current_stage = $1, last_updated_timestamp = $2 WHERE name = $3 AND version = $4', [target, now, name, v]);
      if (archiveExisting) {
        await tx.query("UPDATE model_versions SET current_stage = 'Archived', last_updated_timestamp = $1 WHERE name = $2 AND version <> $3 AND current_stage = $4", [
          now, name, v, target,
        ]);
      }
      await touch(tx, name, now);
    });
    return this.getModelVersion(name, version);
  }

  async deleteModelVersion(name: string, version: string): Promise<void> {
    await this.db.write('model-version.delete', `${name}/${version}`, async (tx) => {
      const v = await mustVersion(tx, name, version);
      await tx.query('DELETE FROM model_versions WHERE name = $1 AND version = $2', [name, v]);
      await tx.query('DELETE FROM model_version_tags WHERE name = $1 AND version = $2', [name, v]);
      await tx.query('DELETE FROM registered_model_aliases WHERE name = $1 AND version = $2', [name, v]);
      await touch(tx, name, Date.now());
    });
  }

  async searchModelVersions(req: PageRequest & { filter: Clause<ModelEntity>[]; orderBy: Order<ModelEntity>[] }): Promise<Page<ModelVersion>> {
    const p = new Params();
    const where = ['true'];
    for (const c of req.filter) {
      if (c.entity === 'tag') {
        where.push(
          `EXISTS (SELECT 1 FROM model_version_tags t WHERE t.name = v.name AND t.version = v.version AND t.key = ${p.add(c.key)} AND ${comparison(p, 't.value', c.op, c.value)})`,
        );
      } else where.push(comparison(p, VERSION_COLUMN[c.key]!, c.op, c.value));
    }
    const order = req.orderBy.map((o) => `${VERSION_COLUMN[o.key]} ${o.asc ? 'ASC' : 'DESC'}`);
    order.push('v.name ASC', 'v.version DESC');
    const rows = await this.db.query<VersionRow>(
      `${SELECT_VERSION} WHERE ${where.join(' AND ')} ORDER BY ${order.join(', ')} LIMIT ${p.add(req.maxResults + 1)} OFFSET ${p.add(req.offset)}`,
      p.values,
    );
    const more = rows.length > req.maxResults;
    return { items: rows.slice(0, req.maxResults).map(toVersion), nextOffset: more ? req.offset + req.maxResults : undefined };
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    await this.db.write('model.set-tag', `${name}/${key}`, async (tx) => {
      await mustModel(tx, name);
      await setTag(tx, 'registered_model_tags', ['name'], [name], { key, value });
    });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    await this.db.write('model.delete-tag', `${name}/${key}`, async (tx) => {
      await mustModel(tx, name);
      await tx.query('DELETE FROM registered_model_tags WHERE name = $1 AND key = $2', [name, key]);
    });
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    await this.db.write('model-version.set-tag', `${name}/${version}/${key}`, async (tx) => {
      const v = await mustVersion(tx, name, version);
      await setTag(tx, 'model_version_tags', ['name', 'version'], [name, v], { key, value });
    });
  }

  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    await this.db.write('model-version.delete-tag', `${name}/${version}/${key}`, async (tx) => {
      const v = await mustVersion(tx, name, version);
      await tx.query('DELETE FROM model_version_tags WHERE name = $1 AND version = $2 AND key = $3', [name, v, key]);
    });
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.db.write('model.set-alias', `${name}@${alias}`, async (tx) => {
      const v = await mustVersion(tx, name, version);
      await tx.query(
        'INSERT INTO registered_model_aliases (name, alias, version) VALUES ($1, $2, $3) ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version WHERE registered_model_aliases.version <> excluded.version',
        [name, alias, v],
      );
      if (tx.changes() > 0) await touch(tx, name, Date.now());
    });
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.db.write('model.delete-alias', `${name}@${alias}`, async (tx) => {
      await mustModel(tx, name);
      await tx.query('DELETE FROM registered_model_aliases WHERE name = $1 AND alias = $2', [name, alias]);
    });
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    await this.getRegisteredModel(name);
    const row = await this.db.one<{ version: number }>('SELECT version FROM registered_model_aliases WHERE name = $1 AND alias = $2', [name, alias]);
    if (!row) throw notFound(`Registered model alias ${alias} not found.`);
    return this.getModelVersion(name, String(row.version));
  }
}

async function touch(tx: PgTx, name: string, now: number): Promise<void> {
  await tx.query('UPDATE registered_models SET last_updated_timestamp = $1 WHERE name = $2', [now, name]);
}

async function mustModel(tx: PgTx, name: string, lock = false): Promise<void> {
  const row = await tx.one(`SELECT 1 AS x FROM registered_models WHERE name = $1 ${lock ? 'FOR UPDATE' : 'FOR SHARE'}`, [name]);
  if (!row) throw notFound(`Registered Model with name=${name} not found`);
}

async function mustVersion(tx: PgTx, name: string, version: string): Promise<number> {
  const v = parseVersion(version);
  const row = await tx.one('SELECT 1 AS x FROM model_versions WHERE name = $1 AND version = $2 FOR SHARE', [name, v]);
  if (!row) throw notFound(`Model Version (name=${name}, version=${version}) not found`);
  return v;
}

/** Upserts one tag of a registry entity keyed by `keyColumns`; an unchanged value writes nothing. */
async function setTag(tx: PgTx, table: string, keyColumns: string[], keyValues: (string | number)[], tag: KeyValue): Promise<void> {
  const cols = [...keyColumns, 'key', 'value'];
  const placeholders = cols.map((_, i) => `$${i + 1}`).join(', ');
  await tx.query(
    `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${placeholders}) ON CONFLICT (${[...keyColumns, 'key'].join(', ')}) DO UPDATE SET value = excluded.value WHERE ${table}.value <> excluded.value`,
    [...keyValues, tag.key, tag.value],
  );
}

function toVersion(r: VersionRow): ModelVersion {
  return {
    name: r.name,
    version: String(r.version),
    creation_timestamp: Number(r.creation_timestamp),
    last_updated_timestamp: Number(r.last_updated_timestamp),
    user_id: r.user_id,
    current_stage: r.current_stage as ModelStage,
    description: r.description,
    source: r.source,
    run_id: r.run_id,
    status: 'READY',
    status_message: r.status_message,
    tags: r.tags ?? [],
    run_link: r.run_link,
    aliases: r.aliases ?? [],
    ...(r.model_id ? { model_id: r.model_id } : {}),
  };
}

function toModel(r: HydratedModel): RegisteredModel {
  return {
    name: r.name,
    creation_timestamp: Number(r.creation_timestamp),
    last_updated_timestamp: Number(r.last_updated_timestamp),
    user_id: r.user_id,
    description: r.description,
    latest_versions: (r.latest ?? []).map(toVersion),
    tags: r.tags ?? [],
    aliases: (r.aliases ?? []).map((a) => ({ alias: a.alias, version: String(a.version) })),
  };
}
