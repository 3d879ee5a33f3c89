import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CairnError, invalidParam, notFound } from '../../core/errors';
import type { ObjectStore, StoredObject } from '../object-store';

const HASH = /^[0-9a-f]{64}$/;

/**
 * Objects as files named by their sha256 (`ab/cdef…`). A put streams into a temp file while hashing,
 * fsyncs it, and renames it into place, so an object is either absent or complete.
 */
export class FsObjectStore implements ObjectStore {
  private readonly tmp: string;

  constructor(
    readonly root: string,
    private readonly fsync = true,
  ) {
    this.tmp = path.join(root, 'tmp');
    fs.mkdirSync(this.tmp, { recursive: true });
  }

  pathOf(hash: string): string {
    if (!HASH.test(hash)) throw invalidParam(`Invalid object hash '${hash}': expected 64 lowercase hex digits.`);
    return path.join(this.root, hash.slice(0, 2), hash.slice(2));
  }

  async put(data: Readable | Buffer, expectedHash?: string): Promise<StoredObject> {
    const tmpFile = path.join(this.tmp, `${Date.now()}-${randomBytes(6).toString('hex')}`);
    const hasher = createHash('sha256');
    let size = 0;
    const out = fs.createWriteStream(tmpFile, { flags: 'wx' });
    try {
      const source = Buffer.isBuffer(data) ? Readable.from([data]) : data;
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            hasher.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        out,
      );
      const hash = hasher.digest('hex');
      if (expectedHash !== undefined && expectedHash !== hash) {
        throw new CairnError('INVALID_PARAMETER_VALUE', `content hash mismatch: expected ${expectedHash}, received ${hash}`);
      }
      const dest = this.pathOf(hash);
      if (fs.existsSync(dest)) {
        await fs.promises.rm(tmpFile, { force: true });
      } else {
        if (this.fsync) await fsyncFile(tmpFile);
        await fs.promises.mkdir(path.dirname(dest), { recursive: true });
        await fs.promises.rename(tmpFile, dest);
      }
      return { hash, size };
    } catch (err) {
      await fs.promises.rm(tmpFile, { force: true });
      throw err;
    }
  }

  async get(hash: string, range?: { start: number; end?: number }): Promise<Readable> {
    const p = this.pathOf(hash);
    try {
      await fs.promises.access(p);
    } catch {
      throw notFound(`Object ${hash} does not exist.`);
    }
    return fs.createReadStream(p, range ? { start: range.start, end: range.end } : {});
  }

  async stat(hash: string): Promise<StoredObject | undefined> {
    try {
      const st = await fs.promises.stat(this.pathOf(hash));
      return { hash, size: st.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async has(hash: string): Promise<boolean> {
    return (await this.stat(hash)) !== undefined;
  }

  async delete(hash: string): Promise<void> {
    await fs.promises.rm(this.pathOf(hash), { force: true });
  }

  async *list(): AsyncIterable<StoredObject> {
    for (const dir of await fs.promises.readdir(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(dir)) continue;
      for (const rest of await fs.promises.readdir(path.join(this.root, dir))) {
        const hash = dir + rest;
        if (!HASH.test(hash)) continue;
        const st = await fs.promises.stat(path.join(this.root, dir, rest));
        yield { hash, size: st.size };
      }
    }
  }
}

async function fsyncFile(file: string): Promise<void> {
  const fh = await fs.promises.open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
