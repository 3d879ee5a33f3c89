/**
 * How a run looks in the tree: label, description (key metric), tooltip (params), icon and
 * contextValue. Pure (no `vscode`), so it is unit-tested directly.
 */
import type { Experiment, Run, RunStatus } from '../../backend/api/mlflow';
import { RUN_TAGS } from '../../backend/api/run-record';

export const PREFERRED_KEY_METRICS = ['val_loss', 'val_accuracy', 'val_acc', 'loss', 'accuracy', 'acc', 'f1', 'rmse', 'mae', 'r2'];

export const tagOf = (run: Run, key: string): string | undefined => run.data.tags.find((t) => t.key === key)?.value;

export function runName(run: Run): string {
  return run.info.run_name || tagOf(run, RUN_TAGS.runName) || run.info.run_id.slice(0, 8);
}

export const isStarred = (run: Run) => tagOf(run, RUN_TAGS.starred) === 'true';

/** The metric shown next to a run: the configured one, else a well-known one, else the first by name. */
export function keyMetric(run: Run, configured = ''): { key: string; value: number } | undefined {
  const metrics = run.data.metrics;
  if (metrics.length === 0) return undefined;
  const byKey = new Map(metrics.map((m) => [m.key, m.value]));
  const key = (configured && byKey.has(configured) ? configured : PREFERRED_KEY_METRICS.find((k) => byKey.has(k))) ?? [...byKey.keys()].sort()[0]!;
  return { key, value: byKey.get(key)! };
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export function runDescription(run: Run, configuredKey = ''): string {
  const km = keyMetric(run, configuredKey);
  const parts = [];
  if (km) parts.push(`${km.key}=${formatNumber(km.value)}`);
  if (run.info.status === 'RUNNING') parts.push('running');
  else if (run.info.end_time) parts.push(formatDuration(run.info.end_time - run.info.start_time));
  if (run.info.lifecycle_stage === 'deleted') parts.push('deleted');
  return parts.join(' · ');
}

/** Markdown-free tooltip text: status, timing, params and metrics. */
export function runTooltip(run: Run): string {
  const lines = [`${runName(run)} (${run.info.status.toLowerCase()})`, `id: ${run.info.run_id}`, `started: ${new Date(run.info.start_time).toLocaleString()}`];
  const commit = tagOf(run, RUN_TAGS.gitCommit);
  if (commit) lines.push(`commit: ${commit.slice(0, 10)}${tagOf(run, RUN_TAGS.gitDirty) === 'true' ? ' (+ uncommitted changes)' : ''}`);
  const note = tagOf(run, RUN_TAGS.note);
  if (note) lines.push(`note: ${note}`);
  const params = [...run.data.params].sort((a, b) => a.key.localeCompare(b.key));
  if (params.length) lines.push('', 'params:', ...params.slice(0, 30).map((p) => `  ${p.key} = ${p.value}`), ...(params.length > 30 ? [`  … ${params.length - 30} more`] : []));
  const metrics = [...run.data.metrics].sort((a, b) => a.key.localeCompare(b.key));
  if (metrics.length) lines.push('', 'metrics:', ...metrics.slice(0, 30).map((m) => `  ${m.key} = ${formatNumber(m.value)}`));
  return lines.join('\n');
}

/** Product-icon id and theme colour id per status. */
export const STATUS_ICONS: Record<RunStatus, { icon: string; color?: string }> = {
  RUNNING: { icon: 'sync~spin', color: 'charts.blue' },
  SCHEDULED: { icon: 'clock' },
  FINISHED: { icon: 'pass', color: 'testing.iconPassed' },
  FAILED: { icon: 'error', color: 'testing.iconFailed' },
  KILLED: { icon: 'circle-slash', color: 'testing.iconSkipped' },
};

/** `cairn:run+finished+starred+active`: tokens matched by regex `when` clauses in menus. */
export function runContextValue(run: Run): string {
  return ['cairn:run', run.info.status.toLowerCase(), isStarred(run) ? 'starred' : 'unstarred', run.info.lifecycle_stage].join('+');
}

export const experimentNodeId = (e: Pick<Experiment, 'experiment_id'>) => `/exp/${e.experiment_id}`;
export const runNodeId = (run: Pick<Run, 'info'>) => `/exp/${run.info.experiment_id}/run/${run.info.run_id}`;
