import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { CairnError } from '../core/errors';

export interface SecurityOptions {
  /** Accepted bearer token; undefined means no auth (only allowed on loopback, for tests of that mode). */
  token: string | undefined;
  /** `host:port` values the server answers to; anything else is refused (DNS rebinding). */
  allowedHosts: Set<string>;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function allowedHostsFor(bindHost: string, port: number, extra: string[] = []): Set<string> {
  const hosts = new Set<string>();
  const names = isLoopback(bindHost) ? LOOPBACK_NAMES : [bindHost, ...LOOPBACK_NAMES];
  for (const name of names) {
    hosts.add(`${name}:${port}`.toLowerCase());
    if (port === 80) hosts.add(name.toLowerCase());
  }
  for (const h of extra) hosts.add(h.toLowerCase());
  return hosts;
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}

/** Refuses requests addressed to another host name, or sent by a page of another origin. */
export function checkOrigin(req: IncomingMessage, opts: SecurityOptions): void {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!opts.allowedHosts.has(host)) {
    throw new CairnError('PERMISSION_DENIED', `Host '${req.headers.host ?? ''}' is not served here (allowed: ${[...opts.allowedHosts].join(', ')}).`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let originHost = '';
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      // an unparsable Origin is refused below
    }
    if (!opts.allowedHosts.has(originHost)) throw new CairnError('PERMISSION_DENIED', `Cross-origin requests from '${origin}' are refused.`);
  } else if (origin === 'null') {
    throw new CairnError('PERMISSION_DENIED', 'Requests from opaque origins are refused.');
  }
}

/**
 * Accepts `Authorization: Bearer <token>` (what the mlflow client sends for MLFLOW_TRACKING_TOKEN),
 * Basic auth whose password is the token, or the dashboard's `cairn_token` cookie.
 */
export function checkToken(req: IncomingMessage, opts: SecurityOptions): void {
  if (opts.token === undefined) return;
  const presented = presentedToken(req);
  if (presented === undefined) throw new CairnError('UNAUTHENTICATED', 'Missing credentials: send "Authorization: Bearer <token>" (the token is in <store>/server.json).');
  if (!sameSecret(presented, opts.token)) throw new CairnError('UNAUTHENTICATED', 'Invalid token.');
}

function presentedToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth) {
    const [scheme, value = ''] = auth.split(/\s+/, 2);
    if (scheme?.toLowerCase() === 'bearer') return value;
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon >= 0 ? decoded.slice(colon + 1) : decoded;
    }
    return '';
  }
  const cookie = req.headers.cookie;
  const m = cookie ? /(?:^|;\s*)cairn_token=([^;]+)/.exec(cookie) : null;
  return m ? decodeURIComponent(m[1]!) : undefined;
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
