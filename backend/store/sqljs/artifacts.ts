import type { FileInfo } from '../../api/mlflow';
import type { ArtifactIndex } from '../metadata-store';
import type { DurableDb } from './durable-db';

/** Upper bound for a prefix range scan: every path starting with `prefix` sorts below it. */
const prefixEnd = (prefix: string) => prefix + '\uffff';

export class SqlArtifacts implements ArtifactIndex {
  constructor(private readonly db: DurableDb) {}

  async putArtifact(path: string, hash: string, size: number): Promise<void> {
    await this.db.write((tx) =>
      tx.run(
        'INSERT INTO artifacts (path, hash, size, updated_time) VALUES (?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET hash = excluded.hash, size = excluded.size, updated_time = excluded.updated_time',
        [path, hash, size, Date.now()],
      ),
    );
  }

  async getArtifact(path: string): Promise<{ hash: string; size: number } | undefined> {
    return this.db.get<{ hash: string; size: number }>('SELECT hash, size FROM artifacts WHERE path = ?', [path]);
  }

  async listArtifacts(dir: string): Promise<FileInfo[]> {
    const prefix = dir === '' ? '' : dir.replace(/\/+$/, '') + '/';
    const rows = this.db.values('SELECT path, size FROM artifacts WHERE path >= ? AND path < ? ORDER BY path', [prefix, prefixEnd(prefix)]);
    const out: FileInfo[] = [];
    const seenDirs = new Set<string>();
    for (const [p, size] of rows) {
      const rest = String(p).slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) out.push({ path: rest, is_dir: false, file_size: Number(size) });
      else {
        const name = rest.slice(0, slash);
        if (!seenDirs.has(name)) {
          seenDirs.add(name);
          out.push({ path: name, is_dir: true });
        }
      }
    }
    return out.sort((a, b) => a.path.localeCompare(b.path));
  }

  async deleteArtifacts(path: string): Promise<number> {
    const prefix = path.replace(/\/+$/, '') + '/';
    return this.db.write((tx) => {
      tx.run('DELETE FROM artifacts WHERE path = ?', [path]);
      let n = tx.changes();
      tx.run('DELETE FROM artifacts WHERE path >= ? AND path < ?', [prefix, prefixEnd(prefix)]);
      n += tx.changes();
      return n;
    });
  }
}
