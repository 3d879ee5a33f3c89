import type { Metric, Run } from '../api/mlflow';
import { LOGGED_MODEL_STATUSES, type LoggedModel } from '../api/registry';
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
/** Logged-model ids as Cairn and MLflow 3 make them (`m-` and hex); nothing that could escape a path. */
const LOGGED_MODEL_ID = /^m-[0-9a-f]{1,64}$/;

/**
 * What `cairn sync` writes through on the receiving backend: runs and logged models imported with
 * their own ids, and metric histories appended from an offset (so a resent batch adds nothing
 * twice). Writers only.
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
      method: 'POST',
      path: '/api/cairn/v1/sync/logged-models/import',
      handler: async (ctx) => {
        const model = readLoggedModel((await ctx.message()).raw['model']);
        const { changed } = await deps.meta.importLoggedModel(model);
        if (changed) deps.events.publish({ type: 'model.updated', name: model.info.model_id });
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

/** A LoggedModel as sent by `cairn sync`, checked field by field (a malformed one is a 400, not a 500). */
function readLoggedModel(raw: unknown): LoggedModel {
  const model = raw as LoggedModel | undefined;
  if (!model || typeof model !== 'object' || !model.info || typeof model.info !== 'object') throw invalidParam("Missing value for required parameter 'model' (a LoggedModel with info and data).");
  const i = model.info;
  if (typeof i.model_id !== 'string' || !LOGGED_MODEL_ID.test(i.model_id)) throw invalidParam(`Invalid value ${JSON.stringify(i.model_id)} for 'model.info.model_id': 'm-' and hex digits.`);
  for (const f of ['experiment_id', 'name', 'artifact_uri', 'creator_id', 'model_type', 'source_run_id', 'status_message'] as const) {
    if (typeof i[f] !== 'string') throw invalidParam(`Invalid value for 'model.info.${f}': a string is required.`);
  }
  for (const f of ['creation_timestamp_ms', 'last_updated_timestamp_ms'] as const) {
    if (!Number.isSafeInteger(i[f])) throw invalidParam(`Invalid value for 'model.info.${f}': an integer is required.`);
  }
  if (!LOGGED_MODEL_STATUSES.includes(i.status)) throw invalidParam(`Invalid value ${JSON.stringify(i.status)} for 'model.info.status'.`);
  const keyValues = (v: unknown, field: string) => {
    const list = v ?? [];
    if (!Array.isArray(list) || !list.every((kv) => kv && typeof kv === 'object' && typeof kv.key === 'string' && typeof kv.value === 'string')) {
      throw invalidParam(`Invalid value for '${field}': a list of {key, value} strings is required.`);
    }
    return (list as { key: string; value: string }[]).map((kv) => {
      validateKey(kv.key, field);
      return { key: kv.key, value: kv.value };
    });
  };
  return { info: { ...i, tags: keyValues(i.tags, 'model.info.tags') }, data: { params: keyValues(model.data?.params, 'model.data.params'), metrics: [] } };
}
