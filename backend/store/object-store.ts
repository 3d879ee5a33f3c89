import type { Readable } from 'node:stream';

export interface StoredObject {
  /** Lowercase hex sha256 of the content. */
  hash: string;
  size: number;
}

/**
 * A content-addressed object store: objects are named by the sha256 of their bytes, written
 * completely before they become visible, and never modified. Artifacts, models and dataset blobs
 * all live here.
 */
export interface ObjectStore {
  /** Streams `data` in, hashing as it goes; if `expectedHash` is given and differs, nothing is kept. */
  put(data: Readable | Buffer, expectedHash?: string): Promise<StoredObject>;
  /** A stream of the object's bytes; throws RESOURCE_DOES_NOT_EXIST if absent. */
  get(hash: string, range?: { start: number; end?: number }): Promise<Readable>;
  stat(hash: string): Promise<StoredObject | undefined>;
  has(hash: string): Promise<boolean>;
  delete(hash: string): Promise<void>;
  list(): AsyncIterable<StoredObject>;
}
