import type { IncomingMessage, ServerResponse } from 'node:http';
import { CairnError } from '../core/errors';
import type { Message } from './message';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Decoded path without the query string. */
  path: string;
  /** Path parameters (`:name` segments, and `*` for the rest of a prefix route). */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The request message: the query string for GET, else the JSON body. */
  message(): Promise<Message>;
}

/** Returned by handlers that wrote the response themselves (streams, SSE). */
export const HANDLED = Symbol('handled');

export type Handler = (ctx: RequestContext) => Promise<unknown> | unknown;

export interface Route {
  method: string | string[];
  /** `/a/b`, `/a/:id/c`, or `/a/*` (prefix). */
  path: string;
  handler: Handler;
  /** Largest accepted JSON body in bytes (default 16 MiB). */
  maxBody?: number;
}

interface Compiled {
  methods: Set<string>;
  parts: string[];
  prefix: boolean;
  route: Route;
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

export class Router {
  private readonly exact = new Map<string, Compiled[]>();
  private readonly patterns: Compiled[] = [];

  add(routes: Route[], mount = ''): this {
    for (const route of routes) {
      const full = mount + route.path;
      const compiled: Compiled = {
        methods: new Set([route.method].flat()),
        parts: full.replace(/\/\*$/, '').split('/'),
        prefix: full.endsWith('/*'),
        route,
      };
      if (!full.includes(':') && !compiled.prefix) {
        const list = this.exact.get(full) ?? [];
        list.push(compiled);
        this.exact.set(full, list);
      } else this.patterns.push(compiled);
    }
    return this;
  }

  /** Finds the route; a known path with the wrong method is a 405, an unknown path a 404. */
  match(method: string, path: string): Match {
    const candidates: { c: Compiled; params: Record<string, string> }[] = [];
    for (const c of this.exact.get(path) ?? []) candidates.push({ c, params: {} });
    const segs = path.split('/');
    for (const c of this.patterns) {
      const params = matchParts(c, segs);
      if (params) candidates.push({ c, params });
    }
    if (candidates.length === 0) throw new CairnError('ENDPOINT_NOT_FOUND', `No API endpoint at ${method} ${path}.`);
    const hit = candidates.find(({ c }) => c.methods.has(method) || (method === 'HEAD' && c.methods.has('GET')));
    if (!hit) {
      const allowed = [...new Set(candidates.flatMap(({ c }) => [...c.methods]))].join(', ');
      throw new CairnError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${allowed}.`);
    }
    return { route: hit.c.route, params: hit.params };
  }
}

function matchParts(c: Compiled, segs: string[]): Record<string, string> | undefined {
  if (c.prefix ? segs.length < c.parts.length : segs.length !== c.parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < c.parts.length; i++) {
    const p = c.parts[i]!;
    if (p.startsWith(':')) {
      if (segs[i] === '') return undefined;
      params[p.slice(1)] = segs[i]!;
    } else if (p !== segs[i]) return undefined;
  }
  if (c.prefix) params['*'] = segs.slice(c.parts.length).join('/');
  return params;
}
