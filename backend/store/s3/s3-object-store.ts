import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CairnError, invalidParam, notFound } from '../../core/errors';
import type { ObjectStore, StoredObject } from '../object-store';
import type { S3Location } from './s3-location';

const HASH = /^[0-9a-f]{64}$/;
const MIN_PART = 5 * 1024 * 1024;

export interface S3ObjectStoreOptions extends S3Location {
  client: S3Client;
  /** Multipart part size (default 16 MiB; S3's minimum is 5 MiB). Smaller objects are one PUT. */
  partSize?: number;
  /** Parts uploaded at once (default 4). */
  concurrency?: number;
  /** Where uploads of unknown hash are spooled while hashing (default the OS temp folder). */
  spoolDir?: string;
}

/**
 * The content-addressed object store on S3 (or any S3-compatible server): objects are keys
 * `<prefix>/ab/cdef…` named by their sha256. An object's name is only known once all of it was
 * read, and S3 cannot rename, so:
 *  - up to one part size, the bytes are hashed in memory and sent with one PutObject;
 *  - larger, with a known expected hash, they stream straight into a multipart upload of the final
 *    key, completed only if the hash matches (else aborted: nothing becomes visible);
 *  - larger, of unknown hash, they are spooled to a local temp file while hashing, then uploaded in
 *    parallel parts (skipped when the object already exists).
 * PutObject and CompleteMultipartUpload are atomic, so an object is either absent or complete.
 * Downloads stream from GetObject, ranges included.
 */
export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly partSize: number;
  private readonly concurrency: number;
  private readonly spoolDir: string;

  constructor(opts: S3ObjectStoreOptions) {
    this.client = opts.client;
    this.bucket = opts.bucket;
    this.prefix = opts.prefix ? `${opts.prefix}/` : '';
    this.partSize = Math.max(MIN_PART, opts.partSize ?? 16 * 1024 * 1024);
    this.concurrency = Math.max(1, opts.concurrency ?? 4);
    this.spoolDir = opts.spoolDir ?? path.join(os.tmpdir(), 'cairn-s3-spool');
  }

  keyOf(hash: string): string {
    if (!HASH.test(hash)) throw invalidParam(`Invalid object hash '${hash}': expected 64 lowercase hex digits.`);
    return `${this.prefix}${hash.slice(0, 2)}/${hash.slice(2)}`;
  }

  async put(data: Readable | Buffer, expectedHash?: string): Promise<StoredObject> {
    if (expectedHash !== undefined) this.keyOf(expectedHash);
    const source = Buffer.isBuffer(data) ? Readable.from([data]) : data;
    const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    // Read the first part: if the stream ends within it, the object is small.
    const head: Buffer[] = [];
    let headSize = 0;
    let ended = false;
    while (headSize <= this.partSize) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(next.value);
      headSize += next.value.length;
    }
    if (ended) return this.putSmall(Buffer.concat(head, headSize), expectedHash);
    const rest = async function* () {
      yield* head;
      for (let n = await iterator.next(); !n.done; n = await iterator.next()) yield n.value;
    };
    return expectedHash ? this.putStreamed(rest(), expectedHash) : this.putSpooled(rest());
  }

  async get(hash: string, range?: { start: number; end?: number }): Promise<Readable> {
    const key = this.keyOf(hash);
    try {
      const res = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end ?? ''}` : undefined }),
      );
      return res.Body as Readable;
    } catch (err) {
      if (isMissing(err)) throw notFound(`Object ${hash} does not exist.`);
      throw unavailable(err);
    }
  }

  async stat(hash: string): Promise<StoredObject | undefined> {
    const key = this.keyOf(hash);
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { hash, size: Number(res.ContentLength ?? 0) };
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw unavailable(err);
    }
  }

  async has(hash: string): Promise<boolean> {
    return (await this.stat(hash)) !== undefined;
  }

  async delete(hash: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(hash) })).catch((err) => {
      throw unavailable(err);
    });
  }

  async *list(): AsyncIterable<StoredObject> {
    let token: string | undefined;
    do {
      const res = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: token }));
      for (const o of res.Contents ?? []) {
        const hash = (o.Key ?? '').slice(this.prefix.length).replace('/', '');
        if (HASH.test(hash) && o.Key === this.keyOf(hash)) yield { hash, size: Number(o.Size ?? 0) };
      }
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
  }

  private async putSmall(body: Buffer, expectedHash: string | undefined): Promise<StoredObject> {
    const hash = sha256(body);
    checkHash(hash, expectedHash);
    if (!(await this.has(hash))) {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.keyOf(hash), Body: body, ContentLength: body.length })).catch((err) => {
        throw unavailable(err);
      });
    }
    return { hash, size: body.length };
  }

  /** Streams into a multipart upload of the final key; completes it only if the content hashes to `expectedHash`. */
  private async putStreamed(chunks: AsyncIterable<Buffer>, expectedHash: string): Promise<StoredObject> {
    const hasher = createHash('sha256');
    let size = 0;
    const hashed = async function* () {
      for await (const c of chunks) {
        hasher.update(c);
        size += c.length;
        yield c;
      }
    };
    await this.multipart(this.keyOf(expectedHash), hashed(), () => {
      checkHash(hasher.digest('hex'), expectedHash);
    });
    return { hash: expectedHash, size };
  }

  /** Spools to a temp file while hashing, then uploads the file's parts unless the object exists. */
  private async putSpooled(chunks: AsyncIterable<Buffer>): Promise<StoredObject> {
    await fs.promises.mkdir(this.spoolDir, { recursive: true });
    const file = path.join(this.spoolDir, `${Date.now()}-${randomBytes(6).toString('hex')}`);
    try {
      const hasher = createHash('sha256');
      let size = 0;
      await pipeline(
        Readable.from(chunks),
        async function* (source: AsyncIterable<Buffer>) {
          for await (const c of source) {
            hasher.update(c);
            size += c.length;
            yield c;
          }
        },
        fs.createWriteStream(file, { flags: 'wx' }),
      );
      const hash = hasher.digest('hex');
      if (!(await this.has(hash))) await this.multipart(this.keyOf(hash), fs.createReadStream(file, { highWaterMark: 1024 * 1024 }), () => {});
      return { hash, size };
    } finally {
      await fs.promises.rm(file, { force: true });
    }
  }

  /**
   * One multipart upload of `chunks` to `key`, `concurrency` parts in flight. `beforeComplete` may
   * throw to abort it (then nothing was written).
   */
  private async multipart(key: string, chunks: AsyncIterable<Buffer>, beforeComplete: () => void): Promise<void> {
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key })).catch((err) => {
      throw unavailable(err);
    });
    const parts: { ETag: string; PartNumber: number }[] = [];
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    const send = (body: Buffer, partNumber: number) => {
      const p: Promise<void> = this.client
        .send(new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId, PartNumber: partNumber, Body: body, ContentLength: body.length }))
        .then((res) => {
          parts.push({ ETag: res.ETag!, PartNumber: partNumber });
        })
        .catch((err) => {
          failure ??= err;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    };
    try {
      let pending: Buffer[] = [];
      let pendingSize = 0;
      let partNumber = 0;
      for await (const chunk of chunks) {
        pending.push(chunk);
        pendingSize += chunk.length;
        while (pendingSize >= this.partSize) {
          const all = Buffer.concat(pending, pendingSize);
          send(all.subarray(0, this.partSize), ++partNumber);
          pending = [all.subarray(this.partSize)];
          pendingSize = pending[0]!.length;
          while (inFlight.size >= this.concurrency) await Promise.race(inFlight);
          if (failure) throw failure;
        }
      }
      if (pendingSize > 0 || partNumber === 0) send(Buffer.concat(pending, pendingSize), ++partNumber);
      await Promise.all(inFlight);
      if (failure) throw failure;
      beforeComplete();
      parts.sort((a, b) => a.PartNumber - b.PartNumber);
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (err) {
      await Promise.allSettled(inFlight);
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId })).catch(() => {});
      throw err instanceof CairnError ? err : unavailable(err);
    }
  }
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function checkHash(actual: string, expected: string | undefined): void {
  if (expected !== undefined && expected !== actual) throw invalidParam(`content hash mismatch: expected ${expected}, received ${actual}`);
}

function isMissing(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

function unavailable(err: unknown): CairnError {
  if (err instanceof CairnError) return err;
  return new CairnError('TEMPORARILY_UNAVAILABLE', `the object store (S3) failed: ${(err as Error).name}: ${(err as Error).message}`);
}
