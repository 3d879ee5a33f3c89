import type { Metric, Run } from '../api/mlflow';
import type { AppendHistoryResponse, MetricCountsResponse } from '../api/team';
import { invalidParam } from '../core/errors';
import { readDouble } from '../core/wire';
import type { EventBus } from '../events/event-bus';
import type { Route } from '../server/router';
import type { MetadataStore } from '../store/metadata-store';
import type { MetricHistoryStore } from '../store/metric-history';
import { validateKey, validateRunId } from '../tracking/validate';
import { metricCounts } from './metric-counts';

const MAX_POINTS_PER_REQUEST = 50_000;

/**
 * What `cairn sync` writes through on the receiving backend: runs imported with their own ids, and
 * metric histories appended from an offset (so a resent batch adds nothing twice). Writers only.
 */
export function importRoutes(deps: { meta: MetadataStore; history: MetricHistoryStore; events: EventBus }): Route[] {
  const base = '/api/cairn/v1/sync/runs';
  /** Appends to one run's history are serialised here, so offset checks cannot interleave. */
  const chains = new Map<string, Promise<unknown>>();
  const serialised = <T>(runId: string, fn: () => Promise<T>): Promise<T> => {
    const next = (chains.get(runId) ?? Promise.resolve()).then(fn, fn);
    const tail = next.catch(() => {});
    chains.set(runId, tail);
    void tail.then(() => chains.get(runId) === tail && chains.delete(runId));
    return next;
  };

  return [
    {
      method: 'POST',
      path: `${base}/import`,
      maxBody: 64 * 1024 * 1024,
      handler: async (ctx) => {
        const m = await ctx.message();
        const run = m.raw['run'] as Run | undefined;
        if (!run || typeof run !== 'object' || !run.info || !run.data) throw invalidParam("Missing value for required parameter 'run' (a Run with info and data).");
        validateRunId(run.info.run_id);
        const decoded: Run = { ...run, data: { ...run.data, metrics: (run.data.metrics ?? []).map((x, i) => ({ ...x, value: readDouble(x.value, `run.data.metrics[${i}].value`) })) } };
        const { changed } = await deps.meta.importRun(decoded);
        if (changed) deps.events.publish({ type: 'run.updated', runId: run.info.run_id, experimentId: run.info.experiment_id, status: run.info.status, lifecycle: run.info.lifecycle_stage });
        return { changed };
      },
    },
    {
      method: 'GET',
      path: `${base}/:runId/metric-counts`,
      handler: async (ctx): Promise<MetricCountsResponse> => {
        const runId = ctx.params['runId']!;
        validateRunId(runId);
        await deps.meta.getRun(runId);
        return { counts: await metricCounts(deps.history, runId) };
      },
    },
    {
      method: 'POST',
      path: `${base}/:runId/metrics`,
      maxBody: 64 * 1024 * 1024,
      handler: async (ctx): Promise<AppendHistoryResponse> => {
        const runId = ctx.params['runId']!;
        validateRunId(runId);
        const m = await ctx.message();
        const key = m.string('key');
        validateKey(key, 'key');
        const offset = m.int('offset', { min: 0 });
        const points = m.objects('points');
        if (points.length > MAX_POINTS_PER_REQUEST) throw invalidParam(`At most ${MAX_POINTS_PER_REQUEST} points per request, got ${points.length}.`);
        const run = await deps.meta.getRun(runId);
        return serialised(runId, async () => {
          const count = (await metricCounts(deps.history, runId))[key] ?? 0;
          if (offset > count) throw invalidParam(`The history of '${key}' holds ${count} points here; cannot append from offset ${offset}.`);
          const fresh: Metric[] = points.slice(count - offset).map((p) => ({ key, value: p.double('value'), timestamp: p.int('timestamp'), step: p.optInt('step') ?? 0 }));
          await deps.history.append(runId, fresh);
          if (fresh.length > 0) deps.events.publish({ type: 'run.data', runId, experimentId: run.info.experiment_id });
          return { appended: fresh.length, count: count + fresh.length };
        });
      },
    },
  ];
}
