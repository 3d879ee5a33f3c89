import * as fs from 'node:fs';
import type { Database, SqlJsStatic, Statement } from 'sql.js';
import { fsyncDir, readSegment, type JournalRecord } from './journal';
import * as path from 'node:path';

const META_DDL = 'CREATE TABLE IF NOT EXISTS _cairn_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)';

/**
 * Per-connection settings, applied after every load and export. SQLite's own rollback journal
 * would be written to sql.js's in-memory file system on every transaction: durability is the
 * journal's job here, so SQLite keeps its rollback data in memory.
 */
export function applySessionPragmas(db: Database): void {
  db.run('PRAGMA journal_mode = MEMORY');
  db.run('PRAGMA synchronous = OFF');
  db.run('PRAGMA temp_store = MEMORY');
  db.run('PRAGMA case_sensitive_like = ON');
}

export interface Recovered {
  db: Database;
  /** Sequence number of the last transaction the database now contains. */
  seq: number;
  replayed: number;
  tornSegment?: string;
}

/** Prepared statements by SQL text: a journal repeats a handful of statements thousands of times. */
type StatementCache = Map<string, Statement>;

export function applyRecord(db: Database, rec: JournalRecord, cache: StatementCache = new Map()): void {
  db.run('BEGIN');
  try {
    for (const [sql, params] of rec.stmts) {
      let stmt = cache.get(sql);
      if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
      stmt.run(params);
      stmt.reset();
    }
    db.run('COMMIT');
  } catch (err) {
    db.run('ROLLBACK');
    throw new Error(`journal replay failed at seq ${rec.seq}: ${(err as Error).message}`);
  }
}

export function snapshotSeq(db: Database): number {
  db.run(META_DDL);
  const res = db.exec("SELECT value FROM _cairn_meta WHERE key = 'journal_seq'");
  const v = res[0]?.values[0]?.[0];
  return v === undefined || v === null ? 0 : Number(v);
}

/**
 * Rebuilds the database: the last complete snapshot, then every journal record after it. A torn
 * tail in the last segment (kill -9 mid-append) is cut off when `truncateTorn` is set; it was never
 * acknowledged.
 */
export function recover(SQL: SqlJsStatic, snapshotFile: string, segments: string[], truncateTorn: boolean): Recovered {
  const db = fs.existsSync(snapshotFile) ? new SQL.Database(fs.readFileSync(snapshotFile)) : new SQL.Database();
  applySessionPragmas(db);
  let seq = snapshotSeq(db);
  let replayed = 0;
  let tornSegment: string | undefined;
  const cache: StatementCache = new Map();
  segments.forEach((file, i) => {
    const { records, validBytes, torn } = readSegment(file);
    for (const rec of records) {
      if (rec.seq <= seq) continue;
      if (rec.seq !== seq + 1) throw new Error(`journal gap: expected seq ${seq + 1}, found ${rec.seq} in ${file}`);
      applyRecord(db, rec, cache);
      seq = rec.seq;
      replayed++;
    }
    if (torn) {
      if (i !== segments.length - 1) throw new Error(`journal segment ${file} is corrupt before its end`);
      tornSegment = file;
      if (truncateTorn) fs.truncateSync(file, validBytes);
    }
  });
  cache.forEach((stmt) => stmt.free());
  return { db, seq, replayed, tornSegment };
}

/** Writes a complete snapshot beside the old one, fsyncs it, and renames it into place. */
export function writeSnapshot(db: Database, snapshotFile: string, seq: number): void {
  db.run(META_DDL);
  db.run("INSERT INTO _cairn_meta (key, value) VALUES ('journal_seq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [
    String(seq),
  ]);
  const bytes = db.export();
  applySessionPragmas(db); // export() closes and reopens the database, resetting them
  const tmp = `${snapshotFile}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, snapshotFile);
  fsyncDir(path.dirname(snapshotFile));
}
