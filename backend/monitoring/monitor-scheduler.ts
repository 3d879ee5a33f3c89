// The backend's monitor loop: each monitor's drift check when due (reference file vs the
// deployment's traffic over the window), notifications and retraining on drift, retraining when a
// watched data file changes or on a schedule — every step in the audit trail.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MonitorStatus, StoredDriftReport } from '../api/drift';
import { driftReport } from '../drift/dataset-drift';
import { PredictionLogReader } from '../drift/inputs/prediction-log-reader';
import type { DriftReportStore } from '../drift/report-store';
import { fileReader } from '../drift/sources';
import type { EventBus } from '../events/event-bus';
import { nextCronTime, parseCron } from '../pipelines/cron';
import { hashPath } from '../pipelines/fingerprint';
import { loadPipeline, type RetrainSpec } from '../pipelines/pipeline-spec';
import { predictionLogDir } from '../quality/quality-routes';
import type { AuditLog } from './audit-log';
import type { RetrainRunner } from './retrain-runner';

interface State {
  monitors: MonitorStatus[];
  retrain?: RetrainSpec;
  data_hashes: Record<string, string | null>;
  last_scheduled_retrain?: number;
  /** The next time `retrain.cron` fires, and the expression it was computed for. */
  next_cron_retrain?: { cron: string; at: number };
}

export interface SchedulerDeps {
  storeDir: string;
  workspace: string;
  reports: DriftReportStore;
  events: EventBus;
  audit: AuditLog;
  retrain: RetrainRunner;
}

export class MonitorScheduler {
  private readonly stateFile: string;
  private state: State;
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(private readonly deps: SchedulerDeps) {
    this.stateFile = path.join(deps.storeDir, 'monitoring', 'monitors.json');
    this.state = fs.existsSync(this.stateFile) ? (JSON.parse(fs.readFileSync(this.stateFile, 'utf8')) as State) : { monitors: [], data_hashes: {} };
  }

  private save(): void {
    fs.mkdirSync(path.dirname(this.stateFile), { recursive: true });
    const tmp = `${this.stateFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.state, null, 1));
    fs.renameSync(tmp, this.stateFile);
  }

  start(tickMs: number): void {
    this.timer ??= setInterval(() => void this.tick(Date.now()), tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  list(): { monitors: MonitorStatus[]; retrain?: RetrainSpec } {
    return { monitors: this.state.monitors, retrain: this.state.retrain };
  }

  /** (Re)reads `monitors:` and `retrain:` from the workspace's cairn.yaml. */
  sync(): { monitors: MonitorStatus[]; retrain?: RetrainSpec } {
    const spec = loadPipeline(path.join(this.deps.workspace, 'cairn.yaml'));
    const previous = new Map(this.state.monitors.map((m) => [m.name, m]));
    this.state.monitors = spec.monitors.map((m) => ({ ...m, state: 'new' as const, ...pick(previous.get(m.name)) }));
    this.state.retrain = spec.retrain;
    for (const p of spec.retrain?.on_data_change ?? []) if (!(p in this.state.data_hashes)) this.state.data_hashes[p] = hashPath(path.join(this.deps.workspace, p)) ?? null;
    this.save();
    this.deps.audit.append({ kind: 'monitors.synced', detail: { monitors: this.state.monitors.map((m) => m.name), retrain: spec.retrain ?? null } });
    return this.list();
  }

  async tick(now: number): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const m of this.state.monitors) if ((m.last_check ?? 0) + m.every_ms <= now) await this.check(m.name, now);
      const retrain = this.state.retrain;
      for (const p of retrain?.on_data_change ?? []) {
        const h = hashPath(path.join(this.deps.workspace, p)) ?? null;
        if (h !== this.state.data_hashes[p]) {
          this.state.data_hashes[p] = h;
          this.save();
          void this.deps.retrain.trigger(`data:${p}`);
        }
      }
      if (retrain?.every_ms && (this.state.last_scheduled_retrain ?? 0) + retrain.every_ms <= now) {
        const first = this.state.last_scheduled_retrain === undefined;
        this.state.last_scheduled_retrain = now;
        this.save();
        if (!first) void this.deps.retrain.trigger('schedule');
      }
      if (retrain?.cron) await this.cronTick(retrain.cron, now);
    } finally {
      this.ticking = false;
    }
  }

  private async cronTick(expr: string, now: number): Promise<void> {
    const next = this.state.next_cron_retrain;
    if (next?.cron === expr && now < next.at) return;
    const due = next?.cron === expr;
    this.state.next_cron_retrain = { cron: expr, at: nextCronTime(parseCron(expr), now) };
    this.save();
    if (due) void this.deps.retrain.trigger(`cron:${expr}`);
  }

  /** Runs one monitor's check now. */
  async check(name: string, now = Date.now()): Promise<{ monitor: MonitorStatus; report?: StoredDriftReport }> {
    const m = this.state.monitors.find((x) => x.name === name);
    if (!m) throw Object.assign(new Error(`No monitor '${name}'.`), { code: 'RESOURCE_DOES_NOT_EXIST' });
    m.last_check = now;
    let report: StoredDriftReport | undefined;
    try {
      const current = new PredictionLogReader(predictionLogDir(this.deps.storeDir, m.deployment), { start: now - m.window_ms, end: now + 1 });
      const reference = fileReader(path.join(this.deps.workspace, m.reference));
      const r = await driftReport({ reference: { path: m.reference }, current: { deployment: m.deployment, start: now - m.window_ms, end: now + 1 }, drift_share: m.drift_share, method: m.method }, { reference, current });
      report = await this.deps.reports.add(r, m.name);
      // notify and retrain when drift starts, not again on every check while it lasts
      const newlyDrifted = r.dataset_drift && m.state !== 'drift';
      m.state = r.dataset_drift ? 'drift' : 'ok';
      m.last_report = report.id;
      delete m.last_error;
      this.deps.events.publish({ type: 'drift.report', id: report.id, dataset_drift: r.dataset_drift, monitor: m.name });
      this.deps.audit.append({ kind: 'monitor.check', monitor: m.name, detail: { report: report.id, dataset_drift: r.dataset_drift, share_of_drifted_columns: r.share_of_drifted_columns, drifted: r.columns.filter((c) => c.drift_detected).map((c) => c.column) } });
      if (newlyDrifted) {
        this.deps.audit.append({ kind: 'monitor.drift', monitor: m.name, detail: { report: report.id } });
        if (m.actions.includes('notify')) this.deps.audit.append({ kind: 'notify', monitor: m.name, detail: { message: `Drift detected on ${m.deployment}: ${r.number_of_drifted_columns} of ${r.number_of_columns} columns.` } });
        if (m.actions.includes('retrain') && (this.state.retrain?.on_drift ?? true)) void this.deps.retrain.trigger('drift', m.name);
      }
    } catch (err) {
      const message = (err as Error).message;
      m.state = /No predictions logged|No prediction log/.test(message) ? 'waiting' : 'error';
      m.last_error = message;
      if (m.state === 'error') this.deps.audit.append({ kind: 'monitor.error', monitor: m.name, detail: { error: message } });
    }
    this.save();
    return { monitor: m, report };
  }
}

function pick(m: MonitorStatus | undefined): Partial<MonitorStatus> {
  if (!m) return {};
  return { state: m.state, ...(m.last_check !== undefined ? { last_check: m.last_check } : {}), ...(m.last_report ? { last_report: m.last_report } : {}) };
}
