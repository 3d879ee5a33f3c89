import { CAIRN_DATASET_SOURCE_TYPE, datasetDigest, type DatasetSummary, type DatasetVersion, type DatasetVersionInput, type TabularSummary } from '../../api/data';
import { notFound } from '../../core/errors';
import type { DatasetStore } from '../metadata-store';
import type { PgDb } from './pg-db';

type VersionRow = {
  name: string;
  hash: string;
  kind: string;
  size: number;
  files: number;
  tabular: string | null;
  git_commit: string;
  creation_time: number;
};

const COLUMNS = 'v.name, v.hash, v.kind, v.size, v.files, v.tabular, v.git_commit, v.creation_time';

/** Versioned datasets on PostgreSQL (the behaviour of store/sqljs/datasets.ts). */
export class PgDatasets implements DatasetStore {
  constructor(private readonly db: PgDb) {}

  async putDatasetVersions(versions: DatasetVersionInput[]): Promise<void> {
    if (versions.length === 0) return;
    const now = Date.now();
    const target = versions.length === 1 ? `${versions[0]!.name}@${versions[0]!.hash}` : `${versions.length} versions`;
    await this.db.write('dataset.put-versions', target, async (tx) => {
      for (const v of versions) {
        await tx.query('INSERT INTO datasets (name, creation_time, last_updated_time) VALUES ($1, $2, $2) ON CONFLICT (name) DO NOTHING', [v.name, now]);
        // A re-registration fills in what the first one lacked (its commit, its table summary) and changes nothing else.
        await tx.query(
          `INSERT INTO dataset_versions (name, hash, kind, size, files, tabular, git_commit, creation_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (name, hash) DO UPDATE SET git_commit = CASE WHEN dataset_versions.git_commit = '' THEN excluded.git_commit ELSE dataset_versions.git_commit END,
             tabular = COALESCE(dataset_versions.tabular, excluded.tabular)
           WHERE (dataset_versions.git_commit = '' AND excluded.git_commit <> '') OR (dataset_versions.tabular IS NULL AND excluded.tabular IS NOT NULL)`,
          [v.name, v.hash, v.kind, v.size, v.files, v.tabular ? JSON.stringify(v.tabular) : null, v.git_commit ?? '', now],
        );
        if (tx.changes() > 0) await tx.query('UPDATE datasets SET last_updated_time = $1 WHERE name = $2', [now, v.name]);
      }
    });
  }

  async listDatasets(): Promise<DatasetSummary[]> {
    const rows = await this.db.query<VersionRow & { last_updated_time: number; n: number }>(
      `SELECT d.last_updated_time, c.n, ${COLUMNS} FROM datasets d
       CROSS JOIN LATERAL (SELECT count(*) AS n FROM dataset_versions w WHERE w.name = d.name) c
       CROSS JOIN LATERAL (SELECT * FROM dataset_versions w WHERE w.name = d.name ORDER BY w.creation_time DESC, w.hash LIMIT 1) v
       ORDER BY d.name`,
    );
    const runs = await this.runsOf(rows);
    return rows.map((r) => ({ name: r.name, versions: Number(r.n), last_updated_time: Number(r.last_updated_time), latest: toVersion(r, runs) }));
  }

  async getDataset(name: string): Promise<DatasetVersion[]> {
    const rows = await this.db.query<VersionRow>(`SELECT ${COLUMNS} FROM dataset_versions v WHERE v.name = $1 ORDER BY v.creation_time DESC, v.hash`, [name]);
    if (rows.length === 0) throw notFound(`Dataset '${name}' does not exist.`);
    const runs = await this.runsOf(rows);
    return rows.map((r) => toVersion(r, runs));
  }

  async objectsInUse(hashes: string[]): Promise<string[]> {
    if (hashes.length === 0) return [];
    const byDigest = new Map(hashes.map((h) => [datasetDigest(h), h]));
    const rows = await this.db.query<{ hash: string }>(
      `SELECT hash FROM artifacts WHERE hash = ANY($1::text[])
       UNION SELECT hash FROM dataset_versions WHERE hash = ANY($1::text[])
       UNION SELECT digest FROM run_inputs WHERE source_type = $2 AND digest = ANY($3::text[])`,
      [hashes, CAIRN_DATASET_SOURCE_TYPE, [...byDigest.keys()]],
    );
    const used = new Set(rows.map((r) => byDigest.get(r.hash) ?? r.hash));
    return hashes.filter((h) => used.has(h));
  }

  /** The runs that logged each of these versions as an input, newest first, keyed by `name\0digest`. */
  private async runsOf(versions: VersionRow[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (versions.length === 0) return out;
    const rows = await this.db.query<{ name: string; digest: string; run_uuid: string }>(
      `SELECT i.name, i.digest, i.run_uuid FROM run_inputs i JOIN runs r ON r.run_uuid = i.run_uuid
       WHERE i.source_type = $1 AND (i.digest, i.name) IN (SELECT * FROM unnest($2::text[], $3::text[]))
       ORDER BY r.start_time DESC, i.run_uuid`,
      [CAIRN_DATASET_SOURCE_TYPE, versions.map((v) => datasetDigest(v.hash)), versions.map((v) => v.name)],
    );
    for (const r of rows) {
      const key = `${r.name}\0${r.digest}`;
      const list = out.get(key);
      if (list) list.push(r.run_uuid);
      else out.set(key, [r.run_uuid]);
    }
    return out;
  }
}

function toVersion(r: VersionRow, runs: Map<string, string[]>): DatasetVersion {
  const v: DatasetVersion = {
    name: r.name,
    hash: r.hash,
    kind: r.kind === 'dir' ? 'dir' : 'file',
    size: Number(r.size),
    files: Number(r.files),
    created_time: Number(r.creation_time),
    run_ids: runs.get(`${r.name}\0${datasetDigest(r.hash)}`) ?? [],
  };
  if (r.tabular !== null) v.tabular = JSON.parse(r.tabular) as TabularSummary;
  if (r.git_commit) v.git_commit = r.git_commit;
  return v;
}
