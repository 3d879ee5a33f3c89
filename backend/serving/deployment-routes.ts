import type { CreateDeploymentRequest, DeploymentTraffic, FeedbackRequest, PredictionRecord, UpdateDeploymentRequest } from '../api/serving';
import { invalidParam } from '../core/errors';
import type { EventBus } from '../events/event-bus';
import type { Route } from '../server/router';
import type { DeploymentManager } from './deployment-manager';
import { readPredictions } from './prediction-log';

const BASE = '/api/cairn/v1/deployments';
/** Outside BASE, so no deployment name can shadow it. */
const STATS = '/api/cairn/v1/serving/stats';

/** The native deployments API (what `cairn deploy …` and the Deployments view use). */
export function deploymentRoutes(manager: DeploymentManager, events: EventBus): Route[] {
  const changed = (name: string) => events.publish({ type: 'deployment.updated', name });
  return [
    { method: 'GET', path: BASE, handler: () => ({ deployments: manager.list() }) },
    { method: 'GET', path: STATS, handler: () => ({ deployments: manager.list().map(({ name, state, version, stats }): DeploymentTraffic => ({ name, state, version, stats })) }) },
    {
      method: 'POST',
      path: BASE,
      handler: async (ctx) => {
        const m = await ctx.message();
        const req: CreateDeploymentRequest = { model: m.nonEmpty('model'), name: m.optString('name') || undefined, config: configOf(m.raw['config']) };
        const deployment = await manager.deploy(req);
        changed(deployment.name);
        return { deployment };
      },
    },
    { method: 'GET', path: `${BASE}/:d`, handler: (ctx) => ({ deployment: manager.status(ctx.params['d']!) }) },
    {
      method: 'PATCH',
      path: `${BASE}/:d`,
      handler: async (ctx) => {
        const m = await ctx.message();
        const canary = m.raw['canary_version'];
        if (canary !== undefined && canary !== null && typeof canary !== 'string') throw invalidParam("'canary_version' must be a version string, or null to remove the canary.");
        const req: UpdateDeploymentRequest = { config: configOf(m.raw['config']), canary_version: canary as string | null | undefined };
        const deployment = await manager.update(ctx.params['d']!, req);
        changed(deployment.name);
        return { deployment };
      },
    },
    {
      method: 'DELETE',
      path: `${BASE}/:d`,
      handler: async (ctx) => {
        await manager.undeploy(ctx.params['d']!);
        changed(ctx.params['d']!);
        return {};
      },
    },
    {
      method: 'POST',
      path: `${BASE}/:d/rollback`,
      handler: async (ctx) => {
        const deployment = await manager.rollback(ctx.params['d']!);
        changed(deployment.name);
        return { deployment };
      },
    },
    {
      method: 'POST',
      path: `${BASE}/:d/feedback`,
      handler: async (ctx) => {
        const m = await ctx.message();
        return manager.feedback(ctx.params['d']!, m.raw as unknown as FeedbackRequest);
      },
    },
    {
      method: 'GET',
      path: `${BASE}/:d/predictions`,
      handler: async (ctx) => {
        const name = ctx.params['d']!;
        manager.get(name);
        const limit = Number(ctx.query.get('limit') ?? 100);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw invalidParam(`'limit' must be an integer from 1 to 10000.`);
        const since = ctx.query.get('since') ? Number(ctx.query.get('since')) : undefined;
        const last: PredictionRecord[] = [];
        for await (const r of readPredictions(manager.logDirOf(name), { since })) {
          last.push(r);
          if (last.length > limit) last.shift();
        }
        return { predictions: last };
      },
    },
  ];
}

function configOf(v: unknown): CreateDeploymentRequest['config'] {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParam("'config' must be an object like {\"batching\": {\"max_batch_size\": 32}, \"log_sample_rate\": 0.1}.");
  return v as CreateDeploymentRequest['config'];
}
