import type { ServerResponse } from 'node:http';
import type { OipInferResponse, OipModelMetadata } from '../api/serving';
import { CAIRN_VERSION } from '../core/version';
import { CairnError } from '../core/errors';
import { sendJson } from '../server/respond';
import { HANDLED, type Handler, type RequestContext, type Route } from '../server/router';
import type { DeploymentManager } from './deployment-manager';
import type { LiveDeployment } from './live-deployment';
import { formatPredictions, parseInvocation } from './protocols/mlflow-scoring';
import { formatOipOutputs, parseOipRequest } from './protocols/oip';
import { badPayload } from './protocols/payload-error';
import { readRawBody } from '../server/body';

const MAX_BODY = 64 * 1024 * 1024;

/** Paths the health probes use without a token. */
export const PUBLIC_SERVING_PATHS = ['/v2/health/live', '/v2/health/ready'];

/**
 * Inference on the backend's port. Deployments are addressed by name:
 *   Open Inference Protocol v2: `/v2/models/{deployment}[/versions/{version}][/ready|/infer]`;
 *   MLflow scoring: `/deployments/{deployment}/invocations` (+ `/ping`, `/health`, `/version`),
 *   and `/invocations`, `/ping`, `/version` at the root when exactly one deployment exists.
 */
export function servingRoutes(manager: DeploymentManager): Route[] {
  const dep = (ctx: RequestContext) => manager.get(ctx.params['m'] ?? ctx.params['d']!);
  const only = (): LiveDeployment => {
    const all = manager.list();
    if (all.length !== 1) {
      throw badPayload(all.length === 0 ? 'No model is deployed.' : `Several deployments exist (${all.map((d) => d.name).join(', ')}): call /deployments/{name}/invocations.`);
    }
    return manager.get(all[0]!.name);
  };
  const metadata = (ctx: RequestContext): OipModelMetadata => {
    const d = dep(ctx);
    const { variant } = d.route(ctx.params['v']);
    const sig = variant.signature;
    return { name: d.name, versions: d.servedVersions(), platform: platformOf(variant.kind), inputs: sig.inputs, outputs: sig.outputs };
  };
  const ready = (ctx: RequestContext) => {
    const d = dep(ctx);
    const isReady = d.route(ctx.params['v']).variant.state === 'ready';
    return statusJson(ctx.res, isReady ? 200 : 503, { name: d.name, ready: isReady });
  };
  const infer: Handler = async (ctx) => {
    const d = dep(ctx);
    const body = await ctx.message();
    const requested: { outputs?: string[]; id?: string } = {};
    const result = await manager.infer(
      d,
      ctx.params['v'],
      (sig) => {
        const r = parseOipRequest(body.raw, sig);
        requested.outputs = r.outputs;
        requested.id = r.id;
        return r.inputs;
      },
      { protocol: 'oip', requestId: typeof body.raw['id'] === 'string' ? body.raw['id'] : header(ctx, 'x-request-id') },
    );
    ctx.res.setHeader('X-Request-Id', result.requestId);
    const res: OipInferResponse = { model_name: d.name, model_version: result.version, id: result.requestId, outputs: formatOipOutputs(result.outputs, requested.outputs) };
    return res;
  };
  const invocations = (pick: (ctx: RequestContext) => LiveDeployment): Handler => async (ctx) => {
    const d = pick(ctx);
    const body = await readRawBody(ctx.req, MAX_BODY);
    const result = await manager.infer(d, undefined, (sig) => parseInvocation(header(ctx, 'content-type'), body, sig), { protocol: 'mlflow', requestId: header(ctx, 'x-request-id') });
    ctx.res.setHeader('X-Request-Id', result.requestId);
    return formatPredictions(result.outputs);
  };
  const ping = (pick: (ctx: RequestContext) => LiveDeployment): Handler => (ctx) => {
    const d = pick(ctx);
    const ok = d.state === 'ready';
    ctx.res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json' });
    ctx.res.end(ok ? '\n' : JSON.stringify({ error: `deployment '${d.name}' is ${d.state}` }));
    return HANDLED;
  };
  const version: Handler = (ctx) => {
    ctx.res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    ctx.res.end(CAIRN_VERSION);
    return HANDLED;
  };

  return [
    { method: 'GET', path: '/v2', handler: () => ({ name: 'cairn', version: CAIRN_VERSION, extensions: [] }) },
    { method: 'GET', path: '/v2/health/live', handler: (ctx) => statusJson(ctx.res, 200, { live: true }) },
    {
      method: 'GET',
      path: '/v2/health/ready',
      handler: (ctx) => {
        const ok = manager.list().every((d) => d.state === 'ready');
        return statusJson(ctx.res, ok ? 200 : 503, { ready: ok });
      },
    },
    ...oip([
      { method: 'GET', path: '/v2/models/:m', handler: metadata },
      { method: 'GET', path: '/v2/models/:m/versions/:v', handler: metadata },
      { method: 'GET', path: '/v2/models/:m/ready', handler: ready },
      { method: 'GET', path: '/v2/models/:m/versions/:v/ready', handler: ready },
      { method: 'POST', path: '/v2/models/:m/infer', handler: infer, maxBody: MAX_BODY },
      { method: 'POST', path: '/v2/models/:m/versions/:v/infer', handler: infer, maxBody: MAX_BODY },
    ]),
    { method: 'POST', path: '/deployments/:d/invocations', handler: invocations(dep) },
    { method: 'GET', path: '/deployments/:d/ping', handler: ping(dep) },
    { method: 'GET', path: '/deployments/:d/health', handler: ping(dep) },
    { method: 'GET', path: '/deployments/:d/version', handler: version },
    { method: 'POST', path: '/invocations', handler: invocations(only) },
    { method: 'GET', path: '/ping', handler: ping(only) },
    { method: 'GET', path: '/version', handler: version },
  ];
}

/** OIP errors are `{"error": "…"}` (we add `error_code` too). */
function oip(routes: Route[]): Route[] {
  return routes.map((r) => ({
    ...r,
    handler: async (ctx: RequestContext) => {
      try {
        return await r.handler(ctx);
      } catch (err) {
        if (!(err instanceof CairnError)) throw err;
        return statusJson(ctx.res, err.status, { error: err.message, error_code: err.code });
      }
    },
  }));
}

function statusJson(res: ServerResponse, status: number, body: unknown): typeof HANDLED {
  sendJson(res, status, body);
  return HANDLED;
}

const header = (ctx: RequestContext, name: string): string | undefined => {
  const v = ctx.req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const platformOf = (kind: string): string =>
  ({ 'tfjs-layers': 'tensorflowjs_layers', 'tfjs-graph': 'tensorflowjs_graph', sklearn: 'sklearn_pickle', process: 'cairn_process' })[kind] ?? kind;
