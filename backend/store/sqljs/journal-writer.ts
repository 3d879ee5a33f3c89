import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeRecord, fsyncDir, segmentName, type JournalRecord } from './journal';

interface Pending {
  buf: Buffer;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Appends journal records with group commit: every record queued while a flush is in flight goes
 * out in the next single write (+ fdatasync), so the cost of durability is paid per flush, not per
 * request. A record's promise resolves only once its bytes are on disk.
 */
export class JournalWriter {
  private fd: number;
  private file: string;
  private size = 0;
  private queue: Pending[] = [];
  private flushing = false;
  private failed: Error | undefined;

  constructor(
    private readonly dir: string,
    firstSeq: number,
    private readonly fsync: boolean,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, segmentName(firstSeq));
    this.fd = fs.openSync(this.file, 'a');
    if (fsync) fsyncDir(dir);
  }

  get currentSegment(): string {
    return this.file;
  }

  get currentSize(): number {
    return this.size;
  }

  append(rec: JournalRecord): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    const buf = encodeRecord(rec);
    this.size += buf.length;
    return new Promise((resolve, reject) => {
      this.queue.push({ buf, resolve, reject });
      if (!this.flushing) setImmediate(() => this.flush());
    });
  }

  /**
   * Seals the current segment and starts one whose records begin at `nextSeq()`, evaluated once
   * nothing is in flight; returns the sealed segment's path.
   */
  async rotate(nextSeq: () => number): Promise<string> {
    do await this.drain();
    while (this.queue.length > 0 || this.flushing);
    // From here to the end runs synchronously: no append can slip in between.
    const sealed = this.file;
    fs.closeSync(this.fd);
    this.file = path.join(this.dir, segmentName(nextSeq()));
    this.fd = fs.openSync(this.file, 'a');
    this.size = 0;
    if (this.fsync) fsyncDir(this.dir);
    return sealed;
  }

  /** Resolves once everything appended so far is durable. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushing) {
      await new Promise<void>((r) => setImmediate(r));
      if (!this.flushing && this.queue.length > 0) this.flush();
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private flush(): void {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    const batch = this.queue;
    this.queue = [];
    const data = batch.length === 1 ? batch[0]!.buf : Buffer.concat(batch.map((p) => p.buf));
    const done = (err: Error | null) => {
      this.flushing = false;
      if (err) {
        this.failed = err;
        for (const p of batch) p.reject(err);
      } else {
        for (const p of batch) p.resolve();
      }
      if (this.queue.length > 0) this.flush();
    };
    writeAll(this.fd, data, (err) => {
      if (err || !this.fsync) return done(err);
      fs.fdatasync(this.fd, done);
    });
  }
}

function writeAll(fd: number, data: Buffer, cb: (err: Error | null) => void): void {
  fs.write(fd, data, 0, data.length, null, (err, written) => {
    if (err) return cb(err);
    if (written < data.length) return writeAll(fd, data.subarray(written), cb);
    cb(null);
  });
}
