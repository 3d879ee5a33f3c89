// The drift endpoints under /api/cairn/v1/drift: run a report (stored and announced), list, get.
import * as path from 'node:path';
import type { DriftReportSummary, StoredDriftReport } from '../api/drift';
import { CairnError } from '../core/errors';
import type { EventBus } from '../events/event-bus';
import type { Route } from '../server/router';
import type { ObjectStore } from '../store/object-store';
import { driftReport } from './dataset-drift';
import { readDriftRequest } from './drift-request';
import { predictionLogDir } from '../quality/quality-routes';
import { PredictionLogReader } from './inputs/prediction-log-reader';
import { openDatasetVersion, type DatasetSourceDeps } from './inputs/dataset-source';
import { DriftReportStore } from './report-store';
import { openSource, type SourceResolver } from './sources';

export interface DriftRouteDeps {
  storeDir: string;
  objects: ObjectStore;
  events: EventBus;
  /** Files named by a request must lie inside this folder (the workspace). */
  workspace?: string;
  resolver?: SourceResolver;
  fsync?: boolean;
  /** Registered dataset versions and where their objects are: makes `{dataset, version}` sources work. */
  datasets?: DatasetSourceDeps;
}

/** Resolves a request path inside the workspace; anything escaping it is refused. */
export function workspacePath(workspace: string, p: string): string {
  const decoded = p.includes('%') ? safeDecode(p) : p;
  const full = path.resolve(workspace, decoded);
  const rel = path.relative(workspace, full);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw new CairnError('INVALID_PARAMETER_VALUE', `Path '${p}' is outside the workspace ${workspace}.`);
  return full;
}

function safeDecode(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    throw new CairnError('INVALID_PARAMETER_VALUE', `Path '${p}' is not validly encoded.`);
  }
}

export function driftRoutes(deps: DriftRouteDeps): Route[] {
  const store = new DriftReportStore(path.join(deps.storeDir, 'drift'), deps.objects, deps.fsync ?? process.env['CAIRN_FSYNC'] !== '0');
  const workspace = deps.workspace ?? path.dirname(path.resolve(deps.storeDir));
  const resolver: SourceResolver = deps.resolver ?? {
    predictionLog: async (deployment, start, end) => new PredictionLogReader(predictionLogDir(deps.storeDir, deployment), { start, end }),
    ...(deps.datasets ? { dataset: (name: string, version: string | undefined) => openDatasetVersion(deps.datasets!, name, version) } : {}),
  };
  return [
    {
      method: 'POST',
      path: '/api/cairn/v1/drift/reports',
      handler: async (ctx) => {
        const req = readDriftRequest(await ctx.message());
        for (const side of [req.reference, req.current]) if ('path' in side) side.path = workspacePath(workspace, side.path);
        const readers = { reference: await openSource(req.reference, resolver), current: await openSource(req.current, resolver) };
        const report = await driftReport(req, readers);
        const stored: StoredDriftReport = await store.add(report);
        deps.events.publish({ type: 'drift.report', id: stored.id, dataset_drift: stored.dataset_drift });
        return stored;
      },
    },
    {
      method: 'GET',
      path: '/api/cairn/v1/drift/reports',
      handler: (ctx): { reports: DriftReportSummary[] } => {
        const limit = ctx.query.get('limit');
        if (limit !== null && !/^\d+$/.test(limit)) throw new CairnError('INVALID_PARAMETER_VALUE', `'limit' must be a positive integer, got '${limit}'.`);
        return { reports: store.list({ monitor: ctx.query.get('monitor') ?? undefined, limit: limit === null ? undefined : Number(limit) }) };
      },
    },
    { method: 'GET', path: '/api/cairn/v1/drift/reports/:id', handler: (ctx) => store.get(ctx.params['id']!) },
    { method: 'GET', path: '/api/cairn/v1/drift/stattests', handler: async () => ({ stattests: (await import('./stattests/registry')).STAT_TESTS.map((t) => ({ name: t.name, display_name: t.displayName, column_types: t.allowedTypes, default_threshold: t.defaultThreshold, score: t.scoreKind })) }) },
  ];
}
