import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { PutObjectResponse, PutPackResponse } from '../api/data';
import { decodePack } from '../data/pack';
import type { CairnClient } from './cairn-client';

/**
 * Streaming object transfer (`cairn data push/pull`) on top of the typed client: Node-only, since
 * it streams files, which is why it is not part of CairnClient (that one also runs in webviews).
 */
export class ObjectClient {
  constructor(readonly client: CairnClient) {}

  /** Streams one object up; the backend checks the bytes against `hash` and keeps nothing on a mismatch. */
  async putObject(hash: string, body: Buffer | Readable, opts: { size?: number; signal?: AbortSignal } = {}): Promise<PutObjectResponse> {
    const headers = this.client.headers({ 'Content-Type': 'application/octet-stream', ...(opts.size !== undefined ? { 'Content-Length': String(opts.size) } : {}) });
    const payload = Buffer.isBuffer(body) ? new Uint8Array(body.buffer, body.byteOffset, body.length) : Readable.toWeb(body);
    const init = { method: 'PUT', headers, body: payload, duplex: 'half', signal: opts.signal } as unknown as RequestInit;
    return (await this.client.request(`/api/cairn/v1/objects/${hash}`, init)).json() as Promise<PutObjectResponse>;
  }

  /** Uploads a pack of small objects (see backend/data/pack.ts). */
  async putPack(pack: Buffer, signal?: AbortSignal): Promise<PutPackResponse> {
    const body = new Uint8Array(pack.buffer, pack.byteOffset, pack.length) as unknown as BodyInit;
    const res = await this.client.request('/api/cairn/v1/objects/pack', { method: 'POST', headers: this.client.headers({ 'Content-Type': 'application/octet-stream' }), body, signal });
    return (await res.json()) as PutPackResponse;
  }

  /** An object's bytes as a stream, from byte `start` on (resuming a download). */
  async getObject(hash: string, opts: { start?: number; signal?: AbortSignal } = {}): Promise<{ stream: Readable; length: number; partial: boolean }> {
    const headers = this.client.headers(opts.start ? { Range: `bytes=${opts.start}-` } : {});
    const res = await this.client.request(`/api/cairn/v1/objects/${hash}`, { method: 'GET', headers, signal: opts.signal });
    const stream = res.body ? Readable.fromWeb(res.body as unknown as WebReadableStream) : Readable.from([]);
    return { stream, length: Number(res.headers.get('content-length') ?? NaN), partial: res.status === 206 };
  }

  /** Small objects in one response, entry by entry (the caller verifies each against its hash). */
  async *getPack(hashes: string[], signal?: AbortSignal): AsyncGenerator<{ hash: string; data: Buffer }> {
    const res = await this.client.request('/api/cairn/v1/objects/pack/get', {
      method: 'POST',
      headers: this.client.headers({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ hashes }),
      signal,
    });
    yield* decodePack(Readable.fromWeb(res.body as unknown as WebReadableStream) as AsyncIterable<Buffer>);
  }
}
