import type { SqlValue } from 'sql.js';
import { CAIRN_DATASET_SOURCE_TYPE, datasetDigest, type DatasetSummary, type DatasetVersion, type DatasetVersionInput, type TabularSummary } from '../../api/data';
import { notFound } from '../../core/errors';
import type { DatasetStore } from '../metadata-store';
import type { DurableDb } from './durable-db';
import { placeholders } from './rows';

const COLUMNS = 'name, hash, kind, size, files, tabular, git_commit, creation_time';
/** Bound parameters per IN list (SQLite's limit is 32766). */
const IN_CHUNK = 5000;

export class SqlDatasets implements DatasetStore {
  constructor(private readonly db: DurableDb) {}

  async putDatasetVersions(versions: DatasetVersionInput[]): Promise<void> {
    if (versions.length === 0) return;
    const now = Date.now();
    await this.db.write((tx) => {
      for (const v of versions) {
        tx.run('INSERT INTO datasets (name, creation_time, last_updated_time) VALUES (?, ?, ?) ON CONFLICT(name) DO NOTHING', [v.name, now, now]);
        tx.run(
          `INSERT INTO dataset_versions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(name, hash) DO UPDATE SET git_commit = CASE WHEN dataset_versions.git_commit = '' THEN excluded.git_commit ELSE dataset_versions.git_commit END,
             tabular = COALESCE(dataset_versions.tabular, excluded.tabular)`,
          [v.name, v.hash, v.kind, v.size, v.files, v.tabular ? JSON.stringify(v.tabular) : null, v.git_commit ?? '', now],
        );
        if (tx.changes() > 0) tx.run('UPDATE datasets SET last_updated_time = ? WHERE name = ?', [now, v.name]);
      }
    });
  }

  async listDatasets(): Promise<DatasetSummary[]> {
    const rows = this.db.values(
      `SELECT d.name, d.last_updated_time, (SELECT COUNT(*) FROM dataset_versions v WHERE v.name = d.name) AS n,
              (SELECT hash FROM dataset_versions v WHERE v.name = d.name ORDER BY creation_time DESC, hash LIMIT 1) AS latest
       FROM datasets d ORDER BY d.name`,
    );
    return rows.map(([name, updated, n, latest]) => ({
      name: String(name),
      versions: Number(n),
      last_updated_time: Number(updated),
      latest: this.version(String(name), String(latest))!,
    }));
  }

  async getDataset(name: string): Promise<DatasetVersion[]> {
    const rows = this.db.values(`SELECT ${COLUMNS} FROM dataset_versions WHERE name = ? ORDER BY creation_time DESC, hash`, [name]);
    if (rows.length === 0) throw notFound(`Dataset '${name}' does not exist.`);
    return rows.map((r) => this.hydrate(r));
  }

  async objectsInUse(hashes: string[]): Promise<string[]> {
    const used = new Set<string>();
    for (let i = 0; i < hashes.length; i += IN_CHUNK) {
      const chunk = hashes.slice(i, i + IN_CHUNK);
      const list = placeholders(chunk.length);
      for (const [h] of this.db.values(`SELECT DISTINCT hash FROM artifacts WHERE hash IN (${list})`, chunk)) used.add(String(h));
      for (const [h] of this.db.values(`SELECT DISTINCT hash FROM dataset_versions WHERE hash IN (${list})`, chunk)) used.add(String(h));
      const byDigest = new Map(chunk.map((h) => [datasetDigest(h), h]));
      const digests = [...byDigest.keys()];
      for (const [d] of this.db.values(`SELECT DISTINCT digest FROM run_inputs WHERE source_type = ? AND digest IN (${list})`, [CAIRN_DATASET_SOURCE_TYPE, ...digests])) {
        used.add(byDigest.get(String(d))!);
      }
    }
    return hashes.filter((h) => used.has(h));
  }

  private version(name: string, hash: string): DatasetVersion | undefined {
    const r = this.db.values(`SELECT ${COLUMNS} FROM dataset_versions WHERE name = ? AND hash = ?`, [name, hash])[0];
    return r ? this.hydrate(r) : undefined;
  }

  private hydrate(r: SqlValue[]): DatasetVersion {
    const [name, hash, kind, size, files, tabular, gitCommit, created] = r;
    const v: DatasetVersion = {
      name: String(name),
      hash: String(hash),
      kind: kind === 'dir' ? 'dir' : 'file',
      size: Number(size),
      files: Number(files),
      created_time: Number(created),
      run_ids: this.db
        .values('SELECT i.run_uuid FROM run_inputs i JOIN runs r ON r.run_uuid = i.run_uuid WHERE i.name = ? AND i.digest = ? AND i.source_type = ? ORDER BY r.start_time DESC', [
          String(name),
          datasetDigest(String(hash)),
          CAIRN_DATASET_SOURCE_TYPE,
        ])
        .map((x) => String(x[0])),
    };
    if (tabular !== null) v.tabular = JSON.parse(String(tabular)) as TabularSummary;
    if (gitCommit) v.git_commit = String(gitCommit);
    return v;
  }
}
