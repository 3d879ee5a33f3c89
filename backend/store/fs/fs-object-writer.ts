import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { CairnError } from '../../core/errors';
import type { StoredObject } from '../object-store';
import { syncPaths } from './durable-sync';
import type { FsObjectStore } from './fs-object-store';

/** Chunk size of streamed copies: large buffers keep the hash and the disk busy with few syscalls. */
const CHUNK = 8 * 1024 * 1024;
/** A durable copy starts flushing every this many bytes, so little is left for the final sync. */
const EARLY_SYNC_BYTES = 128 * 1024 * 1024;

export interface StagedObject extends StoredObject {
  /** False when the store already had it (nothing was written). */
  stored: boolean;
}

interface Pending {
  tmp: string;
  dest: string;
}

/**
 * Writes many objects into an FsObjectStore as one batch: each is hashed while it is written to a
 * temp file, and `commit()` makes the batch durable with one sync, renames every object into place,
 * and syncs the directories — a few syncs for thousands of objects instead of one per object, and
 * an object is never visible before its bytes are on disk. Used by `cairn data` (add, pull) and the
 * pack upload endpoint. Objects staged but never committed stay invisible (swept from `tmp/`).
 */
export class FsObjectWriter {
  private readonly pending = new Map<string, Pending>();
  private readonly knownDirs = new Set<string>();
  private stagedBytes = 0;

  constructor(
    readonly store: FsObjectStore,
    private readonly durable = true,
  ) {}

  /** Objects staged and not yet committed. */
  get size(): number {
    return this.pending.size;
  }

  get bytes(): number {
    return this.stagedBytes;
  }

  /** True when the store has the object or this batch holds it. */
  has(hash: string): boolean {
    return this.pending.has(hash) || fs.existsSync(this.store.pathOf(hash));
  }

  /** Stages bytes held in memory (small files, pack entries). */
  putBuffer(data: Buffer, expectedHash?: string): StagedObject {
    const hash = createHash('sha256').update(data).digest('hex');
    checkHash(hash, expectedHash);
    if (this.has(hash)) return { hash, size: data.length, stored: false };
    const tmp = this.tmpName();
    fs.writeFileSync(tmp, data, { flag: 'wx' });
    this.stage(hash, tmp, data.length);
    return { hash, size: data.length, stored: true };
  }

  /**
   * Stages a file by reading it once: each chunk is hashed while the previous one is being written
   * and the next one read, so the copy costs little more than the hash. `before` (the file's stat
   * when the caller decided to read it) guards against a file changing while it is read.
   */
  async putFile(src: string, before?: fs.Stats): Promise<StagedObject> {
    const tmp = this.tmpName();
    const input = await fs.promises.open(src, 'r');
    let out: fs.promises.FileHandle | undefined;
    try {
      out = await fs.promises.open(tmp, 'wx');
      const { hash, size } = await copyHashing(input, out, this.durable ? EARLY_SYNC_BYTES : 0);
      const after = await input.stat();
      if (before && (after.size !== before.size || after.mtimeMs !== before.mtimeMs || after.ctimeMs !== before.ctimeMs)) {
        throw new CairnError('RESOURCE_CONFLICT', `${src} changed while it was being stored; try again once it is no longer being written.`);
      }
      await out.close();
      out = undefined;
      if (this.has(hash)) {
        await fs.promises.rm(tmp, { force: true });
        return { hash, size, stored: false };
      }
      this.stage(hash, tmp, size);
      return { hash, size, stored: true };
    } catch (err) {
      await out?.close().catch(() => {});
      await fs.promises.rm(tmp, { force: true });
      throw err;
    } finally {
      await input.close();
    }
  }

  /**
   * Stages a stream (a download or an upload), verified against `expectedHash` when given. Writes
   * run behind the hashing (a few chunks in flight), and a durable writer starts flushing early.
   */
  async putStream(source: Readable | AsyncIterable<Buffer>, expectedHash?: string): Promise<StagedObject> {
    const tmp = this.tmpName();
    const out = await fs.promises.open(tmp, 'wx');
    const inFlight: Promise<void>[] = [];
    const syncs: Promise<void>[] = [];
    try {
      const hasher = createHash('sha256');
      let size = 0;
      let unsynced = 0;
      for await (const chunk of source as AsyncIterable<Buffer>) {
        hasher.update(chunk);
        const w = writeAll(out, chunk, size);
        w.catch(() => {}); // observed below
        inFlight.push(w);
        size += chunk.length;
        unsynced += chunk.length;
        if (this.durable && unsynced >= EARLY_SYNC_BYTES) {
          unsynced = 0;
          const sync = w.then(() => out.datasync());
          sync.catch(() => {});
          syncs.push(sync);
        }
        if (inFlight.length >= 8) await inFlight.shift();
      }
      await Promise.all(inFlight);
      await Promise.all(syncs);
      await out.close();
      const hash = hasher.digest('hex');
      checkHash(hash, expectedHash);
      if (this.has(hash)) {
        await fs.promises.rm(tmp, { force: true });
        return { hash, size, stored: false };
      }
      this.stage(hash, tmp, size);
      return { hash, size, stored: true };
    } catch (err) {
      await Promise.allSettled([...inFlight, ...syncs]);
      await out.close().catch(() => {});
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
  }

  /** Stages a file already written under `tmp/` whose hash the caller verified (resumed downloads). */
  adoptVerified(tmpFile: string, hash: string, size: number): StagedObject {
    if (this.has(hash)) {
      fs.rmSync(tmpFile, { force: true });
      return { hash, size, stored: false };
    }
    this.stage(hash, tmpFile, size);
    return { hash, size, stored: true };
  }

  /** Makes every staged object durable and visible. */
  async commit(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    if (this.durable) await syncPaths(batch.map((p) => p.tmp));
    const dirs = new Set<string>();
    for (const { tmp, dest } of batch) {
      const dir = path.dirname(dest);
      if (!this.knownDirs.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        this.knownDirs.add(dir);
      }
      fs.renameSync(tmp, dest);
      dirs.add(dir);
    }
    if (this.durable) await syncPaths([...dirs, this.store.root]);
    this.pending.clear();
    this.stagedBytes = 0;
  }

  /** Drops staged objects (their temp files) without committing them. */
  abort(): void {
    for (const { tmp } of this.pending.values()) fs.rmSync(tmp, { force: true });
    this.pending.clear();
    this.stagedBytes = 0;
  }

  tmpName(): string {
    return path.join(this.store.root, 'tmp', `${Date.now()}-${randomBytes(6).toString('hex')}`);
  }

  private stage(hash: string, tmp: string, size: number): void {
    this.pending.set(hash, { tmp, dest: this.store.pathOf(hash) });
    this.stagedBytes += size;
  }
}

function checkHash(actual: string, expected: string | undefined): void {
  if (expected !== undefined && expected !== actual) {
    throw new CairnError('INVALID_PARAMETER_VALUE', `content hash mismatch: expected ${expected}, received ${actual}`);
  }
}

async function writeAll(out: fs.promises.FileHandle, buf: Buffer, position: number): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await out.write(buf, off, buf.length - off, position + off);
    off += bytesWritten;
  }
}

/**
 * Copies `input` to `out` while hashing, with three rotating buffers: while chunk i is hashed on
 * this thread, chunk i+1 is being read and chunk i-1 written by libuv's pool. With `syncEvery`, a
 * background fdatasync every that many bytes overlaps the disk's writeback with the copy.
 */
export async function copyHashing(input: fs.promises.FileHandle, out: fs.promises.FileHandle | undefined, syncEvery = 0): Promise<StoredObject> {
  const hasher = createHash('sha256');
  // Buffers no larger than the file (plus one byte to see its end in one read), at most CHUNK.
  const chunkSize = Math.min(CHUNK, Math.max(64 * 1024, (await input.stat()).size + 1));
  const bufs = [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)];
  const writes: (Promise<void> | undefined)[] = [undefined, undefined, undefined];
  const syncs: Promise<void>[] = [];
  let unsynced = 0;
  let position = 0;
  let i = 0;
  let reading = input.read(bufs[0]!, 0, chunkSize, 0);
  for (;;) {
    const { bytesRead } = await reading;
    if (bytesRead === 0) break;
    const slot = i % 3;
    const next = (i + 1) % 3;
    await writes[next]; // the buffer about to be read into must be written out first
    writes[next] = undefined;
    reading = input.read(bufs[next]!, 0, chunkSize, position + bytesRead);
    const chunk = bufs[slot]!.subarray(0, bytesRead);
    hasher.update(chunk);
    if (out) {
      const w = writeAll(out, chunk, position);
      w.catch(() => {}); // observed when awaited below; never an unhandled rejection meanwhile
      writes[slot] = w;
      unsynced += bytesRead;
      if (syncEvery > 0 && unsynced >= syncEvery) {
        unsynced = 0;
        const s = w.then(() => out.datasync());
        s.catch(() => {});
        syncs.push(s);
      }
    }
    position += bytesRead;
    i++;
  }
  await Promise.all(writes);
  await Promise.all(syncs);
  return { hash: hasher.digest('hex'), size: position };
}
