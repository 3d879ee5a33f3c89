import type { IncomingMessage } from 'node:http';
import { CairnError, invalidParam } from '../core/errors';

export const DEFAULT_MAX_JSON = 16 * 1024 * 1024;

/** Reads a request body as bytes, refusing (413) anything larger than `limit` without buffering it all. */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) {
    req.resume();
    throw new CairnError('PAYLOAD_TOO_LARGE', `Request body of ${declared} bytes exceeds the limit of ${limit} bytes for this endpoint.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new CairnError('PAYLOAD_TOO_LARGE', `Request body exceeds the limit of ${limit} bytes for this endpoint.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** Reads a JSON object body (an empty body is `{}`), refusing (413) anything larger than `limit`. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const body = await readRawBody(req, limit);
  if (body.length === 0) return {};
  const text = body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CairnError('BAD_REQUEST', `Malformed JSON in request body: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidParam('The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/** A query string as a message: repeated keys become arrays. */
export function queryMessage(query: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    const all = query.getAll(key);
    out[key] = all.length === 1 ? all[0] : all;
  }
  return out;
}
