import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { CairnError } from '../core/errors';
import { FsObjectStore } from './fs/fs-object-store';
import { FsObjectWriter, type StagedObject } from './fs/fs-object-writer';
import type { ObjectStore } from './object-store';

/**
 * Many objects written as one batch (a pack upload, a pushed object): each is verified against its
 * hash, and none is visible before it is complete. `commit()` makes the batch durable.
 */
export interface ObjectBatch {
  putBuffer(data: Buffer, expectedHash?: string): StagedObject | Promise<StagedObject>;
  putStream(source: Readable | AsyncIterable<Buffer>, expectedHash?: string): Promise<StagedObject>;
  commit(): Promise<void>;
}

/**
 * A batch for any object store: on a folder, FsObjectWriter (one sync per batch instead of one per
 * object); elsewhere (S3), each object goes straight to the store, whose puts are atomic already.
 */
export function newObjectBatch(store: ObjectStore, fsync: boolean): ObjectBatch {
  return store instanceof FsObjectStore ? new FsObjectWriter(store, fsync) : new DirectObjectBatch(store);
}

class DirectObjectBatch implements ObjectBatch {
  constructor(private readonly store: ObjectStore) {}

  async putBuffer(data: Buffer, expectedHash?: string): Promise<StagedObject> {
    const hash = createHash('sha256').update(data).digest('hex');
    if (expectedHash !== undefined && expectedHash !== hash) {
      throw new CairnError('INVALID_PARAMETER_VALUE', `content hash mismatch: expected ${expectedHash}, received ${hash}`);
    }
    if (await this.store.has(hash)) return { hash, size: data.length, stored: false };
    await this.store.put(data, hash);
    return { hash, size: data.length, stored: true };
  }

  async putStream(source: Readable | AsyncIterable<Buffer>, expectedHash?: string): Promise<StagedObject> {
    const stream = source instanceof Readable ? source : Readable.from(source);
    return { ...(await this.store.put(stream, expectedHash)), stored: true };
  }

  async commit(): Promise<void> {}
}
