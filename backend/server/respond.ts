import type { ServerResponse } from 'node:http';
import { toWireJson } from '../core/wire';

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, preEncoded?: string): void {
  const text = preEncoded ?? toWireJson(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { error_code: code, message });
}

export const securityHeaders = SECURITY_HEADERS;

/** A JSON text assembled by hand for big responses (metric histories); `toWireJson` is slow there. */
export class RawJson {
  constructor(readonly text: string) {}
}
