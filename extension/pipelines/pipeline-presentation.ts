// How pipeline stages look in the Pipeline view (pure: no vscode import, unit-tested).
import type { PipelineStatusResponse, StageState, StageStatus } from '../../backend/api/pipelines';

export const STAGE_ICONS: Record<StageState, { icon: string; color?: string; label: string }> = {
  running: { icon: 'sync~spin', color: 'charts.blue', label: 'running' },
  pending: { icon: 'clock', label: 'pending' },
  failed: { icon: 'error', color: 'testing.iconFailed', label: 'failed' },
  changed: { icon: 'circle-filled', color: 'charts.yellow', label: 'changed' },
  up_to_date: { icon: 'pass', color: 'testing.iconPassed', label: 'up to date' },
};

/** `up to date · ran · after prepare`. */
export function stageDescription(s: StageStatus): string {
  const parts = [STAGE_ICONS[s.state].label];
  if (s.last?.outcome && s.state !== 'failed') parts.push(`last ${s.last.outcome}`);
  if (s.upstream.length) parts.push(`after ${s.upstream.join(', ')}`);
  return parts.join(' · ');
}

export function stageTooltip(s: StageStatus): string {
  const lines = [`Stage ${s.name}: ${STAGE_ICONS[s.state].label}${s.reason ? ` (${s.reason})` : ''}`, `$ ${s.cmd}`];
  if (s.deps.length) lines.push(`deps: ${s.deps.join(', ')}`);
  if (s.params.length) lines.push(`params: ${s.params.join(', ')}`);
  if (s.outs.length) lines.push(`outs: ${s.outs.join(', ')}`);
  const metrics = Object.entries(s.last?.metrics ?? {});
  if (metrics.length) lines.push(`metrics: ${metrics.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  return lines.join('\n');
}

/** The detail lines under a stage: its inputs, outputs and last metrics. */
export function stageDetails(s: StageStatus): { label: string; description: string }[] {
  const out: { label: string; description: string }[] = [];
  if (s.upstream.length) out.push({ label: 'needs', description: s.upstream.join(', ') });
  if (s.deps.length) out.push({ label: 'deps', description: s.deps.join(', ') });
  if (s.params.length) out.push({ label: 'params', description: s.params.join(', ') });
  if (s.outs.length) out.push({ label: 'outs', description: s.outs.join(', ') });
  for (const [k, v] of Object.entries(s.last?.metrics ?? {})) out.push({ label: k, description: String(v) });
  return out;
}

/** `last run: succeeded (manual)`, or undefined before the first execution. */
export function executionSummary(p: PipelineStatusResponse): string | undefined {
  const e = p.last_execution;
  if (!e) return undefined;
  const outcome = e.outcome ?? (e.status === 'RUNNING' ? 'running' : e.status.toLowerCase());
  return `last run: ${outcome.replace('_', ' ')}${e.trigger ? ` (${e.trigger})` : ''}`;
}
