import * as http from 'node:http';
import { runAs, type Actor } from '../auth/actor';
import type { Authenticate } from '../auth/authenticator';
import { CairnError } from '../core/errors';
import { DEFAULT_MAX_JSON, queryMessage, readJsonBody } from './body';
import { Message } from './message';
import { sendError, sendJson } from './respond';
import { HANDLED, type RequestContext, type Router } from './router';
import { checkOrigin, checkToken, type SecurityOptions } from './security';

export interface HttpAppOptions {
  router: Router;
  security: SecurityOptions;
  /** Paths answered without a token (still host-checked). */
  publicPaths?: Set<string>;
  /** Team mode: users, tokens and roles instead of the single token; handlers run as the actor. */
  authenticate?: Authenticate;
  log: (msg: string) => void;
}

/**
 * The thin HTTP layer: host/origin and token checks, routing, message decoding, and the one place
 * where errors become responses. Client mistakes are 4xx with `{error_code, message}`; only real
 * faults are 500 (the mlflow client retries those for minutes).
 */
export function createHttpApp(opts: HttpAppOptions): http.Server {
  const server = http.createServer({ requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 65_000 }, (req, res) => {
    handle(req, res, opts).catch((err) => fail(res, err, opts, req));
  });
  server.on('clientError', (err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy(err);
  });
  return server;
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, opts: HttpAppOptions): Promise<void> {
  // The raw path, not `new URL().pathname`: WHATWG URL parsing resolves `..` and `%2e%2e`
  // segments, which would hide traversal attempts from the path checks instead of refusing them.
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const searchParams = new URLSearchParams(q < 0 ? '' : target.slice(q + 1));
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw new CairnError('BAD_REQUEST', `Malformed percent-encoding in path '${rawPath}'.`);
  }
  checkOrigin(req, opts.security);
  const method = (req.method ?? 'GET').toUpperCase();
  let actor: Actor | undefined;
  if (!opts.publicPaths?.has(path)) {
    if (opts.authenticate) actor = await opts.authenticate(req, method, path);
    else checkToken(req, opts.security);
  }
  const { route, params } = opts.router.match(method, path);
  let message: Message | undefined;
  const ctx: RequestContext = {
    req,
    res,
    method,
    path,
    params,
    query: searchParams,
    message: async () => {
      if (message) return message;
      const fromQuery = queryMessage(searchParams);
      const body = method === 'GET' || method === 'HEAD' ? {} : await readJsonBody(req, route.maxBody ?? DEFAULT_MAX_JSON);
      message = new Message({ ...fromQuery, ...body });
      return message;
    },
  };
  const result = actor ? await runAs(actor, () => route.handler(ctx)) : await route.handler(ctx);
  if (result === HANDLED) return;
  sendJson(res, 200, result ?? {});
}

function fail(res: http.ServerResponse, err: unknown, opts: HttpAppOptions, req: http.IncomingMessage): void {
  if (err instanceof CairnError) {
    if (err.status >= 500) opts.log(`${req.method} ${req.url}: ${err.code}: ${err.message}`);
    return sendError(res, err.status, err.code, err.message);
  }
  opts.log(`${req.method} ${req.url}: internal error: ${(err as Error)?.stack ?? String(err)}`);
  sendError(res, 500, 'INTERNAL_ERROR', `Internal error: ${(err as Error)?.message ?? String(err)}`);
}
