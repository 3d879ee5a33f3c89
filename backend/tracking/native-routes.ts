import type { MetricSeriesResponse, ServerInfo } from '../api/cairn';
import { invalidParam } from '../core/errors';
import { writeDouble } from '../core/wire';
import type { Route } from '../server/router';
import { downsample } from './downsample';
import type { TrackingService } from './tracking-service';

const MAX_POINTS_LIMIT = 100_000;

/** Cairn's own tracking endpoints under `/api/cairn/v1`. */
export function nativeTrackingRoutes(svc: TrackingService, info: () => ServerInfo): Route[] {
  return [
    { method: 'GET', path: '/api/cairn/v1/info', handler: () => info() },
    {
      // `*` because metric keys may contain slashes (`train/loss`).
      method: 'GET',
      path: '/api/cairn/v1/runs/:runId/metrics/*',
      handler: async (ctx) => {
        const key = ctx.params['*'] ?? '';
        if (key === '') throw invalidParam('A metric key is required: /api/cairn/v1/runs/{run_id}/metrics/{key}.');
        const maxPoints = intParam(ctx.query.get('max_points'), 'max_points') ?? 1000;
        if (maxPoints < 4 || maxPoints > MAX_POINTS_LIMIT) throw invalidParam(`'max_points' must be between 4 and ${MAX_POINTS_LIMIT}, got ${maxPoints}.`);
        const series = await svc.metricSeries(ctx.params['runId']!, key);
        const d = downsample(series, maxPoints, { startStep: intParam(ctx.query.get('start_step'), 'start_step'), endStep: intParam(ctx.query.get('end_step'), 'end_step') });
        const body: MetricSeriesResponse = {
          run_id: ctx.params['runId']!,
          key,
          total_points: series.value.length,
          downsampled: d.downsampled,
          step: Array.from(d.step),
          timestamp: Array.from(d.timestamp),
          value: Array.from(d.value, writeDouble),
        };
        return body;
      },
    },
  ];
}

function intParam(v: string | null, name: string): number | undefined {
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw invalidParam(`'${name}' must be an integer, got '${v}'.`);
  return Number(v);
}
