import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { MissingObjectsResponse, ObjectsInUseResponse, PutObjectResponse, PutPackResponse } from '../api/data';
import { CairnError, invalidParam } from '../core/errors';
import type { Message } from '../server/message';
import { securityHeaders } from '../server/respond';
import { HANDLED, type Route } from '../server/router';
import type { DatasetStore } from '../store/metadata-store';
import type { ObjectBatch } from '../store/object-batch';
import type { ObjectStore } from '../store/object-store';
import { decodePack, packHeader, PACK_OBJECT_MAX } from './pack';

export interface ObjectRouteDeps {
  objects: ObjectStore;
  /** A batch writer for packs (one sync per pack instead of one per object). */
  newBatch: () => ObjectBatch;
  datasets: DatasetStore;
}

const HASH = /^[0-9a-f]{64}$/;
/** Hashes per has-many / in-use / pack-get request. */
const MAX_HASHES = 100_000;
/** Pack entries being stored at once. */
const PACK_PUTS_IN_FLIGHT = 16;
/** Bytes one pack-get answer may carry. */
const MAX_PACK_GET_BYTES = 64 << 20;

/**
 * Content-addressed objects over HTTP (`/api/cairn/v1/objects/…`), for `cairn data push/pull`:
 * which objects are missing, streamed single uploads verified against their hash, packs of small
 * objects, ranged downloads (resumable pulls), and which objects the metadata still references.
 */
export function objectRoutes(deps: ObjectRouteDeps): Route[] {
  const base = '/api/cairn/v1/objects';
  return [
    {
      method: 'POST',
      path: `${base}/missing`,
      handler: async (ctx): Promise<MissingObjectsResponse> => {
        const hashes = readHashes(await ctx.message());
        const missing: string[] = [];
        await forEachLimited(hashes, 64, async (h) => {
          if (!(await deps.objects.has(h))) missing.push(h);
        });
        const order = new Map(hashes.map((h, i) => [h, i]));
        return { missing: missing.sort((a, b) => order.get(a)! - order.get(b)!) };
      },
    },
    {
      method: 'POST',
      path: `${base}/in-use`,
      handler: async (ctx): Promise<ObjectsInUseResponse> => ({ in_use: await deps.datasets.objectsInUse(readHashes(await ctx.message())) }),
    },
    {
      method: 'POST',
      path: `${base}/pack`,
      handler: async (ctx): Promise<PutPackResponse> => {
        const batch = deps.newBatch();
        let stored = 0;
        let bytes = 0;
        // Entries are stored a few at a time: a remote store (S3) answers each put with a round trip.
        const inFlight = new Set<Promise<void>>();
        try {
          for await (const { hash, data } of decodePack(ctx.req as AsyncIterable<Buffer>)) {
            const put = Promise.resolve(batch.putBuffer(data, hash)).then((obj) => {
              if (obj.stored) {
                stored++;
                bytes += obj.size;
              }
            });
            inFlight.add(put);
            void put.then(() => inFlight.delete(put), () => {});
            if (inFlight.size >= PACK_PUTS_IN_FLIGHT) await Promise.race(inFlight);
          }
          await Promise.all(inFlight);
        } catch (err) {
          // Entries verified before the bad one are valid objects: keep them (a retried push skips them).
          await Promise.allSettled(inFlight);
          await batch.commit();
          drain(ctx.req);
          throw err;
        }
        await batch.commit();
        return { stored, bytes };
      },
    },
    {
      method: 'POST',
      path: `${base}/pack/get`,
      handler: async (ctx) => {
        const hashes = readHashes(await ctx.message());
        let total = 0;
        for (const h of hashes) {
          const st = await deps.objects.stat(h);
          if (!st) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `Object ${h} does not exist.`);
          if (st.size > PACK_OBJECT_MAX) throw invalidParam(`Object ${h} is ${st.size} bytes; fetch objects over ${PACK_OBJECT_MAX} bytes with GET ${base}/{hash}.`);
          total += st.size + 40;
        }
        if (total > MAX_PACK_GET_BYTES) throw invalidParam(`These objects add up to ${total} bytes; ask for at most ${MAX_PACK_GET_BYTES} per pack.`);
        ctx.res.writeHead(200, { ...securityHeaders, 'Content-Type': 'application/octet-stream', 'Content-Length': total });
        for (const h of hashes) {
          const chunks: Buffer[] = [];
          for await (const c of await deps.objects.get(h)) chunks.push(c as Buffer);
          const data = Buffer.concat(chunks);
          ctx.res.write(packHeader(h, data.length));
          if (!ctx.res.write(data)) await new Promise((r) => ctx.res.once('drain', r));
        }
        ctx.res.end();
        return HANDLED;
      },
    },
    {
      method: 'PUT',
      path: `${base}/:hash`,
      handler: async (ctx): Promise<PutObjectResponse> => {
        const hash = checkHash(ctx.params['hash']!);
        const existing = await deps.objects.stat(hash);
        if (existing) {
          drain(ctx.req);
          return { hash, size: existing.size };
        }
        const batch = deps.newBatch();
        const obj = await batch.putStream(ctx.req, hash);
        await batch.commit();
        return { hash: obj.hash, size: obj.size };
      },
    },
    {
      method: 'GET',
      path: `${base}/:hash`,
      handler: async (ctx) => {
        const hash = checkHash(ctx.params['hash']!);
        const st = await deps.objects.stat(hash);
        if (!st) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `Object ${hash} does not exist.`);
        const range = parseRange(ctx.req.headers.range, st.size);
        const headers: Record<string, string | number> = { ...securityHeaders, 'Content-Type': 'application/octet-stream', ETag: `"${hash}"`, 'Accept-Ranges': 'bytes' };
        if (range) {
          headers['Content-Range'] = `bytes ${range.start}-${range.end}/${st.size}`;
          headers['Content-Length'] = range.end - range.start + 1;
        } else headers['Content-Length'] = st.size;
        ctx.res.writeHead(range ? 206 : 200, headers);
        if (ctx.method === 'HEAD' || (range && range.end < range.start)) {
          ctx.res.end();
          return HANDLED;
        }
        await pipeline(await deps.objects.get(hash, range ?? undefined), ctx.res);
        return HANDLED;
      },
    },
  ];
}

function checkHash(h: string, field = 'hash'): string {
  if (!HASH.test(h)) throw invalidParam(`Invalid value '${h}' for parameter '${field}': an object hash is 64 lowercase hex digits (sha256).`);
  return h;
}

function readHashes(m: Message): string[] {
  const hashes = m.stringArray('hashes');
  if (hashes.length > MAX_HASHES) throw invalidParam(`At most ${MAX_HASHES} hashes per request, got ${hashes.length}.`);
  return hashes.map((h, i) => checkHash(h, `hashes[${i}]`));
}

/** `bytes=N-` or `bytes=N-M` (one range); anything else is ignored (the whole object is sent). */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const m = header ? /^bytes=(\d+)-(\d*)$/.exec(header.trim()) : null;
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  if (start > size) throw new CairnError('INVALID_PARAMETER_VALUE', `Range start ${start} is beyond the object's ${size} bytes.`);
  return { start, end };
}

function drain(req: IncomingMessage): void {
  req.resume();
}

async function forEachLimited<T>(items: T[], limit: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}
