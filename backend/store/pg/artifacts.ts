import type { FileInfo } from '../../api/mlflow';
import type { ArtifactIndex } from '../metadata-store';
import type { PgDb } from './pg-db';

/** LIKE pattern matching everything under `prefix` (its own wildcards escaped). */
const under = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class PgArtifacts implements ArtifactIndex {
  constructor(private readonly db: PgDb) {}

  async putArtifact(path: string, hash: string, size: number): Promise<void> {
    await this.db.write('artifact.put', path, (tx) =>
      tx.query(
        `INSERT INTO artifacts (path, hash, size, updated_time) VALUES ($1, $2, $3, $4)
         ON CONFLICT (path) DO UPDATE SET hash = excluded.hash, size = excluded.size, updated_time = excluded.updated_time
         WHERE artifacts.hash <> excluded.hash OR artifacts.size <> excluded.size`,
        [path, hash, size, Date.now()],
      ),
    );
  }

  async getArtifact(path: string): Promise<{ hash: string; size: number } | undefined> {
    return this.db.one<{ hash: string; size: number }>('SELECT hash, size FROM artifacts WHERE path = $1', [path]);
  }

  async listArtifacts(dir: string): Promise<FileInfo[]> {
    const prefix = dir === '' ? '' : dir.replace(/\/+$/, '') + '/';
    // One row per immediate child: files directly here, and the first segment of deeper paths.
    const rows = await this.db.query<{ name: string; is_dir: boolean; size: number | null }>(
      `SELECT split_part(substr(path, $2), '/', 1) AS name, strpos(substr(path, $2), '/') > 0 AS is_dir, max(size) AS size
       FROM artifacts WHERE path LIKE $1 GROUP BY 1, 2`,
      [under(prefix), prefix.length + 1],
    );
    return rows
      .map((r): FileInfo => (r.is_dir ? { path: r.name, is_dir: true } : { path: r.name, is_dir: false, file_size: Number(r.size) }))
      .sort((a, b) => a.path.localeCompare(b.path));
  }

  async deleteArtifacts(path: string): Promise<number> {
    const prefix = path.replace(/\/+$/, '') + '/';
    return this.db.write('artifact.delete', path, async (tx) => {
      await tx.query('DELETE FROM artifacts WHERE path = $1', [path]);
      let n = tx.changes();
      await tx.query('DELETE FROM artifacts WHERE path LIKE $1', [under(prefix)]);
      n += tx.changes();
      return n;
    });
  }
}
