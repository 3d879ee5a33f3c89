import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { copyHashing, type FsObjectWriter } from '../store/fs/fs-object-writer';
import type { StatCache } from './stat-cache';

/** Files below this size are read whole; larger ones are streamed. */
const SMALL_FILE = 1 << 20;

export interface HashedFile {
  hash: string;
  size: number;
  st: fs.Stats;
}

export interface HashStats {
  /** Files read and hashed (stat-cache misses). */
  hashed: number;
  hashedBytes: number;
  /** Objects written to the store. */
  stored: number;
  storedBytes: number;
}

/**
 * Hashes workspace files, trusting the stat cache for unchanged ones, and — given a writer — makes
 * sure each file's content is in the store, reading every file at most once.
 */
export class FileHasher {
  readonly stats: HashStats = { hashed: 0, hashedBytes: 0, stored: 0, storedBytes: 0 };
  /** Hashes of the objects this hasher wrote. */
  readonly written: string[] = [];
  private lastStatAt = 0;

  constructor(
    private readonly cache: StatCache,
    private readonly writer?: FsObjectWriter,
  ) {}

  /** The file's hash if the stat cache knows it (and, with a writer, the store has it): no read, no await. */
  known(abs: string): HashedFile | fs.Stats {
    this.lastStatAt = Date.now();
    const st = fs.statSync(abs);
    const cached = this.cache.lookup(st);
    if (cached !== undefined && (!this.writer || this.writer.has(cached))) return { hash: cached, size: st.size, st };
    return st;
  }

  /** The file's hash, from the stat cache or by reading it; `stat` is the result of `known` when the caller already asked. */
  async hash(abs: string, stat?: fs.Stats): Promise<HashedFile> {
    // The racy-timestamp rule needs the moment before the stat the cache entry will be keyed by.
    const k = stat ?? this.known(abs);
    const readStartedAt = this.lastStatAt;
    if (!(k instanceof fs.Stats)) return k;
    const st = k;
    const hash = st.size < SMALL_FILE ? this.hashSmall(abs) : await this.hashLarge(abs, st);
    this.stats.hashed++;
    this.stats.hashedBytes += st.size;
    this.cache.record(st, hash, readStartedAt);
    return { hash, size: st.size, st };
  }

  private hashSmall(abs: string): string {
    const data = fs.readFileSync(abs);
    if (!this.writer) return createHash('sha256').update(data).digest('hex');
    const obj = this.writer.putBuffer(data);
    this.count(obj);
    return obj.hash;
  }

  private async hashLarge(abs: string, st: fs.Stats): Promise<string> {
    if (this.writer) {
      const obj = await this.writer.putFile(abs, st);
      this.count(obj);
      return obj.hash;
    }
    const fh = await fs.promises.open(abs, 'r');
    try {
      return (await copyHashing(fh, undefined)).hash;
    } finally {
      await fh.close();
    }
  }

  private count(obj: { stored: boolean; size: number; hash: string }): void {
    if (!obj.stored) return;
    this.written.push(obj.hash);
    this.stats.stored++;
    this.stats.storedBytes += obj.size;
  }
}
