// /api/cairn/v1/monitors…, /api/cairn/v1/pipelines/run and /api/cairn/v1/audit; starts the scheduler.
import * as path from 'node:path';
import type { AuditEntry, MonitorStatus, PipelineRunResult } from '../api/drift';
import { CairnError, invalidParam } from '../core/errors';
import { DriftReportStore } from '../drift/report-store';
import type { EventBus } from '../events/event-bus';
import type { RetrainSpec } from '../pipelines/pipeline-spec';
import type { Route } from '../server/router';
import { readServerRecord } from '../server/server-record';
import type { ObjectStore } from '../store/object-store';
import { AuditLog } from './audit-log';
import { MonitorScheduler } from './monitor-scheduler';
import { RetrainRunner } from './retrain-runner';

export interface MonitoringDeps {
  storeDir: string;
  objects: ObjectStore;
  events: EventBus;
  fsync?: boolean;
  /** How often due monitors and triggers are looked at (default 1 s, or CAIRN_MONITOR_TICK_MS). */
  tickMs?: number;
}

export function monitoringRoutes(deps: MonitoringDeps): Route[] {
  const fsync = deps.fsync ?? process.env['CAIRN_FSYNC'] !== '0';
  const workspace = path.dirname(path.resolve(deps.storeDir));
  const audit = new AuditLog(path.join(deps.storeDir, 'monitoring'), fsync);
  const backend = () => {
    const rec = readServerRecord(deps.storeDir);
    if (!rec) throw new CairnError('TEMPORARILY_UNAVAILABLE', 'The server record is not written yet.');
    return { url: rec.url, token: rec.token };
  };
  const retrain = new RetrainRunner({ workspace, audit, backend });
  const scheduler = new MonitorScheduler({ storeDir: deps.storeDir, workspace, reports: new DriftReportStore(path.join(deps.storeDir, 'drift'), deps.objects, fsync), events: deps.events, audit, retrain });
  scheduler.start(deps.tickMs ?? Number(process.env['CAIRN_MONITOR_TICK_MS'] ?? 1000));
  return [
    { method: 'GET', path: '/api/cairn/v1/monitors', handler: (): { monitors: MonitorStatus[]; retrain?: RetrainSpec } => scheduler.list() },
    { method: 'POST', path: '/api/cairn/v1/monitors/sync', handler: () => scheduler.sync() },
    {
      method: 'POST',
      path: '/api/cairn/v1/monitors/:name/check',
      handler: async (ctx) => {
        try {
          return await scheduler.check(ctx.params['name']!);
        } catch (err) {
          if ((err as { code?: string }).code === 'RESOURCE_DOES_NOT_EXIST') throw new CairnError('RESOURCE_DOES_NOT_EXIST', (err as Error).message);
          throw err;
        }
      },
    },
    {
      method: 'POST',
      path: '/api/cairn/v1/pipelines/run',
      handler: async (ctx): Promise<{ started: boolean; result?: PipelineRunResult }> => {
        const m = await ctx.message();
        const wait = m.optBool('wait') ?? false;
        const trigger = m.optString('trigger') ?? 'api';
        if (!/^[\w:.-]{1,100}$/.test(trigger)) throw invalidParam(`'trigger' must be a short word, got '${trigger}'.`);
        const monitor = m.optString('monitor');
        if (monitor !== undefined && !scheduler.list().monitors.some((x) => x.name === monitor)) throw invalidParam(`'monitor' must be the name of a monitor in cairn.yaml, got '${monitor}'.`);
        const done = retrain.trigger(trigger, monitor);
        return wait ? { started: true, result: await done } : { started: true };
      },
    },
    {
      method: 'GET',
      path: '/api/cairn/v1/audit',
      handler: (ctx): { entries: AuditEntry[] } => {
        const limit = ctx.query.get('limit');
        if (limit !== null && !/^\d+$/.test(limit)) throw invalidParam(`'limit' must be a positive integer, got '${limit}'.`);
        return { entries: audit.list(limit === null ? 200 : Number(limit), ctx.query.get('monitor') ?? undefined) };
      },
    },
  ];
}
