import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Database, SqlValue, Statement } from 'sql.js';
import { CairnError } from '../../core/errors';
import type { CheckpointReply, CheckpointRequest } from './checkpoint-worker';
import { listSegments, type SqlParam } from './journal';
import { JournalWriter } from './journal-writer';
import { recover, writeSnapshot } from './recovery';
import { loadSqlJs } from './sqljs-loader';

export interface DurableDbOptions {
  /** Folder holding `metadata.sqlite` and `journal/`. */
  dir: string;
  /** fdatasync each group commit (survives power loss); without it a write survives a process kill. */
  fsync?: boolean;
  /** Seal the journal segment and checkpoint when it grows past this many bytes. */
  segmentBytes?: number;
  /** Checkpoint at least this often while there are new writes. */
  checkpointIntervalMs?: number;
  log?: (msg: string) => void;
}

type Row = Record<string, SqlValue>;

/** Statements of one transaction; reads inside it see its own writes. */
export interface Tx {
  run(sql: string, params?: SqlParam[]): void;
  all<T = Row>(sql: string, params?: SqlParam[]): T[];
  get<T = Row>(sql: string, params?: SqlParam[]): T | undefined;
  /** Rows changed by the last `run`. */
  changes(): number;
}

/**
 * sql.js made durable. sql.js keeps the database in memory; this class journals every committed
 * transaction (the exact statements and parameters) before acknowledging it, and a worker thread
 * folds sealed journal segments into `metadata.sqlite` (written beside, fsynced, renamed). Start-up
 * loads the snapshot and replays the journal after it, so an acknowledged write survives `kill -9`
 * and the snapshot on disk is never half-written.
 */
export class DurableDb {
  private readonly statements = new Map<string, Statement>();
  private seq: number;
  private rotating = false;
  private checkpointing: Promise<void> | undefined;
  private worker: Worker | undefined;
  private nextRequestId = 1;
  private timer: NodeJS.Timeout | undefined;
  private dirtySinceCheckpoint = false;
  private closed = false;
  readonly stats = { checkpoints: 0, lastCheckpointMs: 0, lastSnapshotBytes: 0, replayedAtOpen: 0 };

  private constructor(
    readonly db: Database,
    seq: number,
    private readonly writer: JournalWriter,
    private readonly opts: Required<DurableDbOptions>,
  ) {
    this.seq = seq;
  }

  static async open(options: DurableDbOptions): Promise<DurableDb> {
    const opts: Required<DurableDbOptions> = {
      fsync: true,
      segmentBytes: 4 * 1024 * 1024,
      checkpointIntervalMs: 10_000,
      log: () => {},
      ...options,
    };
    fs.mkdirSync(journalDir(opts.dir), { recursive: true });
    removeStaleTemps(opts.dir);
    const SQL = await loadSqlJs();
    const rec = recover(SQL, snapshotFile(opts.dir), listSegments(journalDir(opts.dir)), true);
    if (rec.tornSegment) opts.log(`journal: dropped an unacknowledged torn record at the end of ${path.basename(rec.tornSegment)}`);
    const writer = new JournalWriter(journalDir(opts.dir), rec.seq + 1, opts.fsync);
    const ddb = new DurableDb(rec.db, rec.seq, writer, opts);
    ddb.stats.replayedAtOpen = rec.replayed;
    ddb.timer = setInterval(() => ddb.maybeCheckpoint(true), opts.checkpointIntervalMs);
    ddb.timer.unref();
    if (rec.replayed > 0) ddb.maybeCheckpoint(true);
    return ddb;
  }

  all<T = Row>(sql: string, params: SqlParam[] = []): T[] {
    const stmt = this.prepare(sql);
    try {
      stmt.bind(params);
      const rows: T[] = [];
      while (stmt.step()) rows.push(stmt.getAsObject() as T);
      return rows;
    } finally {
      stmt.reset();
    }
  }

  get<T = Row>(sql: string, params: SqlParam[] = []): T | undefined {
    const stmt = this.prepare(sql);
    try {
      stmt.bind(params);
      return stmt.step() ? (stmt.getAsObject() as T) : undefined;
    } finally {
      stmt.reset();
    }
  }

  /** Raw rows as arrays: the fast path for large reads. */
  values(sql: string, params: SqlParam[] = []): SqlValue[][] {
    const stmt = this.prepare(sql);
    try {
      stmt.bind(params);
      const rows: SqlValue[][] = [];
      while (stmt.step()) rows.push(stmt.get());
      return rows;
    } finally {
      stmt.reset();
    }
  }

  /**
   * Runs `fn` as one transaction and resolves once it is durable. If `fn` throws, the transaction is
   * rolled back and nothing is journaled.
   */
  write<T>(fn: (tx: Tx) => T): Promise<T> {
    if (this.closed) return Promise.reject(new CairnError('TEMPORARILY_UNAVAILABLE', 'the store is closed'));
    const stmts: [string, SqlParam[]][] = [];
    const tx: Tx = {
      run: (sql, params = []) => {
        const stmt = this.prepare(sql);
        try {
          stmt.run(params);
        } finally {
          stmt.reset();
        }
        stmts.push([sql, params]);
      },
      all: (sql, params) => this.all(sql, params),
      get: (sql, params) => this.get(sql, params),
      changes: () => this.db.getRowsModified(),
    };
    let result: T;
    this.db.run('BEGIN');
    try {
      result = fn(tx);
      this.db.run('COMMIT');
    } catch (err) {
      this.db.run('ROLLBACK');
      return Promise.reject(err);
    }
    if (stmts.length === 0) return Promise.resolve(result);
    this.seq += 1;
    this.dirtySinceCheckpoint = true;
    const durable = this.writer.append({ seq: this.seq, stmts }).then(
      () => result,
      (err: Error) => {
        throw new CairnError('TEMPORARILY_UNAVAILABLE', `the journal cannot be written: ${err.message}`);
      },
    );
    if (this.writer.currentSize >= this.opts.segmentBytes) this.maybeCheckpoint(false);
    return durable;
  }

  /** Waits for the running checkpoint (if any): used by tests and benches. */
  async settle(): Promise<void> {
    await this.checkpointing;
  }

  /** Forces a rotation + background checkpoint now. */
  async checkpoint(): Promise<void> {
    await this.checkpointing;
    this.maybeCheckpoint(true);
    await this.checkpointing;
  }

  /** Final checkpoint on the calling thread; after it the journal is empty. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.checkpointing;
    await this.writer.drain();
    this.statements.forEach((s) => s.free());
    this.statements.clear();
    writeSnapshot(this.db, snapshotFile(this.opts.dir), this.seq);
    this.writer.close();
    for (const seg of listSegments(journalDir(this.opts.dir))) fs.rmSync(seg, { force: true });
    await this.worker?.terminate();
    this.db.close();
  }

  private prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  private maybeCheckpoint(evenIfSmall: boolean): void {
    if (this.closed || this.rotating || this.checkpointing) return;
    if (!this.dirtySinceCheckpoint && this.writer.currentSize === 0) return;
    if (!evenIfSmall && this.writer.currentSize < this.opts.segmentBytes) return;
    this.rotating = true;
    this.checkpointing = this.rotateAndCheckpoint().finally(() => {
      this.rotating = false;
      this.checkpointing = undefined;
    });
  }

  private async rotateAndCheckpoint(): Promise<void> {
    try {
      if (this.writer.currentSize > 0) await this.writer.rotate(() => this.seq + 1);
      this.dirtySinceCheckpoint = false;
      const active = this.writer.currentSegment;
      const sealed = listSegments(journalDir(this.opts.dir)).filter((s) => s !== active);
      if (sealed.length === 0) return;
      const reply = await this.runWorker({ id: this.nextRequestId++, snapshotFile: snapshotFile(this.opts.dir), segments: sealed });
      if (!reply.ok) throw new Error(reply.error);
      for (const seg of sealed) fs.rmSync(seg, { force: true });
      this.stats.checkpoints += 1;
      this.stats.lastCheckpointMs = reply.ms;
      this.stats.lastSnapshotBytes = reply.bytes;
      this.opts.log(`checkpoint: seq ${reply.seq}, ${(reply.bytes / 1e6).toFixed(1)} MB in ${reply.ms} ms`);
    } catch (err) {
      // The journal still holds everything: nothing is lost, the next checkpoint retries.
      this.opts.log(`checkpoint failed (will retry): ${(err as Error).message}`);
    }
  }

  private runWorker(req: CheckpointRequest): Promise<CheckpointReply> {
    if (!this.worker) {
      const file = workerFile();
      // From sources (tests, benches under tsx) the worker needs the TypeScript loader registered.
      this.worker = file.endsWith('.ts') ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true }) : new Worker(file);
      this.worker.unref();
    }
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      const onMessage = (reply: CheckpointReply) => {
        if (reply.id !== req.id) return;
        worker.off('message', onMessage);
        worker.off('error', onError);
        resolve(reply);
      };
      const onError = (err: Error) => {
        worker.off('message', onMessage);
        this.worker = undefined;
        reject(err);
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.postMessage(req);
    });
  }
}

export const snapshotFile = (dir: string) => path.join(dir, 'metadata.sqlite');
export const journalDir = (dir: string) => path.join(dir, 'journal');


function removeStaleTemps(dir: string): void {
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (f.startsWith('metadata.sqlite.tmp-')) fs.rmSync(path.join(dir, f), { force: true });
  }
}

function workerFile(): string {
  for (const name of ['checkpoint-worker.js', 'checkpoint-worker.ts']) {
    const p = path.join(__dirname, name);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`checkpoint worker not found next to ${__dirname}`);
}
