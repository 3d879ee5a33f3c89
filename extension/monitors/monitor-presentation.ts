// How a monitor looks in the Monitors view (pure: no vscode import, unit-tested).
import type { MonitorStatus } from '../../backend/api/drift';

export const MONITOR_ICONS: Record<MonitorStatus['state'], { icon: string; color?: string; label: string }> = {
  drift: { icon: 'warning', color: 'testing.iconFailed', label: 'drifting' },
  ok: { icon: 'pass', color: 'testing.iconPassed', label: 'ok' },
  error: { icon: 'error', color: 'problemsErrorIcon.foreground', label: 'error' },
  waiting: { icon: 'clock', color: 'testing.iconSkipped', label: 'waiting for traffic' },
  new: { icon: 'circle-outline', label: 'not checked yet' },
};

const every = (ms: number) => (ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`);

export function monitorDescription(m: MonitorStatus): string {
  return `${MONITOR_ICONS[m.state].label} · ${m.deployment} · every ${every(m.every_ms)}`;
}

export function monitorTooltip(m: MonitorStatus, now = Date.now()): string {
  const lines = [
    `Monitor ${m.name}: ${MONITOR_ICONS[m.state].label}`,
    `Deployment ${m.deployment}, reference ${m.reference}`,
    `Window ${every(m.window_ms)}, checked every ${every(m.every_ms)}, dataset drift at ≥ ${m.drift_share} of columns${m.method ? ` (${m.method})` : ''}`,
    `On drift: ${m.actions.length ? m.actions.join(', ') : 'nothing'}`,
  ];
  if (m.last_check) lines.push(`Last check ${Math.max(0, Math.round((now - m.last_check) / 1000))} s ago`);
  if (m.last_error) lines.push(`Last error: ${m.last_error}`);
  return lines.join('\n');
}

/** Monitors sorted drifting first, then errors, then by name. */
export function orderedMonitors(ms: readonly MonitorStatus[]): MonitorStatus[] {
  const rank = (m: MonitorStatus) => ['drift', 'error', 'waiting', 'ok', 'new'].indexOf(m.state);
  return [...ms].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** Monitors that drift now and did not before (the ones to notify about). Unknown before = not drifting. */
export function newlyDrifting(before: readonly MonitorStatus[], after: readonly MonitorStatus[]): MonitorStatus[] {
  const was = new Map(before.map((m) => [m.name, m.state]));
  return after.filter((m) => m.state === 'drift' && was.get(m.name) !== 'drift');
}

/** The view badge: how many monitors drift (undefined: no badge). */
export function driftBadge(ms: readonly MonitorStatus[]): { value: number; tooltip: string } | undefined {
  const n = ms.filter((m) => m.state === 'drift').length;
  return n ? { value: n, tooltip: `${n} monitor${n === 1 ? '' : 's'} drifting` } : undefined;
}

export function driftNotification(m: MonitorStatus): string {
  return `Cairn: drift detected by monitor '${m.name}' on deployment '${m.deployment}'.${m.actions.includes('retrain') ? ' Retraining was triggered.' : ''}`;
}
