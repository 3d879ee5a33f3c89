import type { Run } from '../api/mlflow';
import { invalidParam, notFound } from '../core/errors';
import { writeDouble } from '../core/wire';
import type { ServerResponse } from 'node:http';
import { drained, securityHeaders } from '../server/respond';
import { HANDLED, type Route } from '../server/router';
import type { MetricSeries } from '../store/metric-history';
import { parseExperimentFilter, parseExperimentOrderBy } from '../search/experiments';
import { parseRunFilter, parseRunOrderBy } from '../search/runs';
import { artifactPathOf } from '../artifacts/artifact-paths';
import { downsample } from './downsample';
import type { TrackingService } from './tracking-service';
import {
  LIMITS,
  decodePageToken,
  encodePageToken,
  parseRunStatus,
  parseViewType,
  validateExperimentName,
  validateKey,
  validateMaxResults,
  validateValueLength,
} from './validate';
import { readDatasetInputs, readKeyValue, readKeyValues, readMetric } from './wire-readers';

/** The MLflow tracking API, relative to `/api/2.0/mlflow` (and `/ajax-api/2.0/mlflow`). */
export function trackingRoutes(svc: TrackingService): Route[] {
  const meta = svc.meta;
  const runIdOf = (m: { oneOf(...f: string[]): string }) => m.oneOf('run_id', 'run_uuid');

  return [
    // ---- experiments
    {
      method: 'POST',
      path: '/experiments/create',
      handler: async (ctx) => {
        const m = await ctx.message();
        const name = validateExperimentName(m.string('name'));
        const tags = readKeyValues(m, 'tags');
        tags.forEach((t, i) => {
          validateKey(t.key, `tags[${i}].key`);
          validateValueLength(t.value, LIMITS.experimentTagValue, `tags[${i}].value`);
        });
        const experiment_id = await meta.createExperiment({ name, artifactLocation: m.optString('artifact_location'), tags });
        return { experiment_id };
      },
    },
    {
      method: 'GET',
      path: '/experiments/get',
      handler: async (ctx) => ({ experiment: await meta.getExperiment((await ctx.message()).string('experiment_id')) }),
    },
    {
      method: 'GET',
      path: '/experiments/get-by-name',
      handler: async (ctx) => {
        const name = (await ctx.message()).string('experiment_name');
        const experiment = await meta.getExperimentByName(name);
        if (!experiment) throw notFound(`Could not find experiment with name '${name}'`);
        return { experiment };
      },
    },
    {
      method: ['GET', 'POST'],
      path: '/experiments/search',
      handler: async (ctx) => {
        const m = await ctx.message();
        const maxResults = validateMaxResults(m.optInt('max_results'), 1000, LIMITS.searchExperimentsMaxResults);
        const page = await meta.searchExperiments({
          maxResults,
          offset: decodePageToken(m.optString('page_token')),
          viewType: parseViewType(m.optString('view_type'), 'view_type'),
          filter: parseExperimentFilter(m.optString('filter')),
          orderBy: parseExperimentOrderBy(m.stringArray('order_by')),
        });
        return { experiments: page.items, next_page_token: encodePageToken(page.nextOffset) };
      },
    },
    {
      method: 'POST',
      path: '/experiments/update',
      handler: async (ctx) => {
        const m = await ctx.message();
        await meta.renameExperiment(m.string('experiment_id'), validateExperimentName(m.string('new_name')));
        return {};
      },
    },
    {
      method: 'POST',
      path: '/experiments/delete',
      handler: async (ctx) => {
        await meta.deleteExperiment((await ctx.message()).string('experiment_id'));
        return {};
      },
    },
    {
      method: 'POST',
      path: '/experiments/restore',
      handler: async (ctx) => {
        await meta.restoreExperiment((await ctx.message()).string('experiment_id'));
        return {};
      },
    },
    {
      method: 'POST',
      path: '/experiments/set-experiment-tag',
      handler: async (ctx) => {
        const m = await ctx.message();
        const key = m.string('key');
        validateKey(key, 'key');
        await meta.setExperimentTag(m.string('experiment_id'), key, validateValueLength(m.optString('value') ?? '', LIMITS.experimentTagValue, 'value'));
        return {};
      },
    },
    {
      method: 'POST',
      path: '/experiments/delete-experiment-tag',
      handler: async (ctx) => {
        const m = await ctx.message();
        await meta.deleteExperimentTag(m.string('experiment_id'), m.string('key'));
        return {};
      },
    },

    // ---- runs
    {
      method: 'POST',
      path: '/runs/create',
      handler: async (ctx) => {
        const m = await ctx.message();
        const run = await svc.createRun({
          experimentId: m.optString('experiment_id') || '0',
          userId: m.optString('user_id'),
          runName: m.optString('run_name'),
          startTime: m.optInt('start_time', { min: 0 }),
          tags: readKeyValues(m, 'tags'),
        });
        return { run };
      },
    },
    {
      method: 'POST',
      path: '/runs/update',
      handler: async (ctx) => {
        const m = await ctx.message();
        const run_info = await svc.updateRun(runIdOf(m), {
          status: parseRunStatus(m.optString('status') ?? (m.has('status') ? String(m.raw['status']) : undefined)),
          endTime: m.optInt('end_time', { min: 0 }),
          runName: m.optString('run_name'),
        });
        return { run_info };
      },
    },
    {
      method: 'GET',
      path: '/runs/get',
      handler: async (ctx) => ({ run: await meta.getRun(runIdOf(await ctx.message())) }),
    },
    {
      method: 'POST',
      path: '/runs/delete',
      handler: async (ctx) => {
        await svc.deleteRun(runIdOf(await ctx.message()));
        return {};
      },
    },
    {
      method: 'POST',
      path: '/runs/restore',
      handler: async (ctx) => {
        await svc.restoreRun(runIdOf(await ctx.message()));
        return {};
      },
    },
    {
      method: 'POST',
      path: '/runs/log-metric',
      handler: async (ctx) => {
        const m = await ctx.message();
        await svc.logBatch(runIdOf(m), { metrics: [readMetric(m, Date.now())], params: [], tags: [] });
        return {};
      },
    },
    {
      method: 'POST',
      path: '/runs/log-parameter',
      handler: async (ctx) => {
        const m = await ctx.message();
        await svc.logBatch(runIdOf(m), { metrics: [], params: [readKeyValue(m)], tags: [] });
        return {};
      },
    },
    {
      method: 'POST',
      path: '/runs/set-tag',
      handler: async (ctx) => {
        const m = await ctx.message();
        await svc.logBatch(runIdOf(m), { metrics: [], params: [], tags: [readKeyValue(m)] });
        return {};
      },
    },
    {
      method: 'POST',
      path: '/runs/delete-tag',
      handler: async (ctx) => {
        const m = await ctx.message();
        await svc.deleteTag(runIdOf(m), m.string('key'));
        return {};
      },
    },
    {
      method: 'POST',
      path: '/runs/log-batch',
      maxBody: LIMITS.batchBodyBytes,
      handler: async (ctx) => {
        const m = await ctx.message();
        const now = Date.now();
        await svc.logBatch(runIdOf(m), {
          metrics: m.objects('metrics').map((x) => readMetric(x, now)),
          params: readKeyValues(m, 'params'),
          tags: readKeyValues(m, 'tags'),
        });
        return {};
      },
    },
    {
      method: 'POST',
      path: '/runs/log-inputs',
      handler: async (ctx) => {
        const m = await ctx.message();
        await svc.logInputs(runIdOf(m), readDatasetInputs(m));
        return {};
      },
    },
    {
      method: 'POST',
      path: '/runs/log-model',
      handler: async (ctx) => {
        const m = await ctx.message();
        const runId = runIdOf(m);
        const modelJson = m.string('model_json');
        try {
          JSON.parse(modelJson);
        } catch {
          throw invalidParam("Invalid value for parameter 'model_json': it must be a JSON object.");
        }
        const run = await meta.getRun(runId);
        const history = run.data.tags.find((t) => t.key === 'mlflow.log-model.history')?.value;
        const list = history ? (JSON.parse(history) as unknown[]) : [];
        list.push(JSON.parse(modelJson));
        await svc.logBatch(runId, { metrics: [], params: [], tags: [{ key: 'mlflow.log-model.history', value: JSON.stringify(list) }] });
        return {};
      },
    },
    {
      method: ['POST', 'GET'],
      path: '/runs/search',
      handler: async (ctx) => {
        const m = await ctx.message();
        const maxResults = validateMaxResults(m.optInt('max_results'), 1000, LIMITS.searchRunsMaxResults);
        const page = await meta.searchRuns({
          experimentIds: m.stringArray('experiment_ids'),
          viewType: parseViewType(m.optString('run_view_type'), 'run_view_type'),
          filter: parseRunFilter(m.optString('filter')),
          orderBy: parseRunOrderBy(m.stringArray('order_by')),
          maxResults,
          offset: decodePageToken(m.optString('page_token')),
        });
        return { runs: page.items satisfies Run[], next_page_token: encodePageToken(page.nextOffset) };
      },
    },

    // ---- metrics
    {
      method: 'GET',
      path: '/metrics/get-history',
      handler: async (ctx) => {
        const m = await ctx.message();
        const key = m.string('metric_key');
        const series = await svc.metricSeries(runIdOf(m), key);
        const offset = decodePageToken(m.optString('page_token'));
        const max = m.optInt('max_results', { min: 1 });
        const end = max === undefined ? series.value.length : Math.min(series.value.length, offset + max);
        await writeHistoryJson(ctx.res, key, series, offset, end, end < series.value.length ? encodePageToken(end) : undefined);
        return HANDLED;
      },
    },
    {
      method: 'GET',
      path: '/metrics/get-history-bulk-interval',
      handler: async (ctx) => {
        const m = await ctx.message();
        const key = m.string('metric_key');
        const runIds = m.stringArray('run_ids');
        if (runIds.length === 0) throw invalidParam("Missing value for required parameter 'run_ids'.");
        if (runIds.length > 100) throw invalidParam(`At most 100 run ids may be given, got ${runIds.length}.`);
        const maxResults = validateMaxResults(m.optInt('max_results'), 320, 10_000);
        const range = { startStep: m.optInt('start_step'), endStep: m.optInt('end_step') };
        const metrics: unknown[] = [];
        for (const runId of runIds) {
          const d = downsample(await svc.metricSeries(runId, key), maxResults, range);
          for (let i = 0; i < d.value.length; i++) {
            metrics.push({ key, value: writeDouble(d.value[i]!), timestamp: d.timestamp[i], step: d.step[i], run_id: runId });
          }
        }
        return { metrics };
      },
    },

    // ---- artifacts (listing through the tracking API)
    {
      method: 'GET',
      path: '/artifacts/list',
      handler: async (ctx) => {
        const m = await ctx.message();
        const run = await meta.getRun(runIdOf(m));
        const sub = m.optString('path') ?? '';
        const root = artifactPathOf(run.info.artifact_uri);
        const dir = artifactPathOf(`mlflow-artifacts:/${root}/${sub}`);
        const files = await meta.listArtifacts(dir);
        const prefix = sub.replace(/^\/+|\/+$/g, '');
        return {
          root_uri: run.info.artifact_uri,
          files: files.map((f) => ({ ...f, path: prefix ? `${prefix}/${f.path}` : f.path })),
        };
      },
    },
  ];
}

/**
 * get-history, streamed as hand-built JSON in chunks: a million points through JSON.stringify
 * would be slow and would hold the whole text in memory at once.
 */
async function writeHistoryJson(res: ServerResponse, key: string, s: MetricSeries, from: number, to: number, next: string | undefined): Promise<void> {
  res.writeHead(200, { ...securityHeaders, 'Content-Type': 'application/json' });
  const k = JSON.stringify(key);
  const CHUNK = 20_000;
  res.write('{"metrics":[');
  for (let start = from; start < to; start += CHUNK) {
    let text = '';
    for (let i = start, end = Math.min(to, start + CHUNK); i < end; i++) {
      const v = s.value[i]!;
      text += `${i === from ? '' : ','}{"key":${k},"value":${Number.isFinite(v) ? v : `"${writeDouble(v)}"`},"timestamp":${s.timestamp[i]},"step":${s.step[i]}}`;
    }
    if (res.destroyed) return;
    if (!res.write(text)) await drained(res);
  }
  res.end(`]${next ? `,"next_page_token":"${next}"` : ''}}`);
}
