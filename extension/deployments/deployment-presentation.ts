/**
 * How deployments look in the Deployments view: the deployment's line (version, state, req/s,
 * p50/p99), its detail rows (URLs, version binding, status, traffic), tooltip, icon and
 * contextValue. Pure (no `vscode`), so it is unit-tested directly.
 */
import type { DeploymentState, DeploymentStats, DeploymentStatus } from '../../backend/api/serving';

export const deploymentNodeId = (name: string) => `/deployment/${encodeURIComponent(name)}`;
export const detailNodeId = (name: string, key: DetailKey) => `${deploymentNodeId(name)}/${key}`;

export function formatRate(reqPerS: number): string {
  return `${reqPerS >= 100 ? Math.round(reqPerS) : Number(reqPerS.toFixed(reqPerS >= 10 ? 1 : 2))} req/s`;
}

export function formatMs(ms: number): string {
  return `${ms >= 100 ? Math.round(ms) : Number(ms.toFixed(ms >= 10 ? 1 : 2))} ms`;
}

/** `3.2 req/s · p50 1.4 ms · p99 6 ms`, or `idle` when nothing came in the last minute. */
export function trafficText(s: Pick<DeploymentStats, 'req_per_s' | 'p50_ms' | 'p99_ms'>): string {
  if (s.req_per_s <= 0) return 'idle';
  return `${formatRate(s.req_per_s)} · p50 ${formatMs(s.p50_ms)} · p99 ${formatMs(s.p99_ms)}`;
}

/** The deployment's one line: `v2 · ready · 3.2 req/s · p50 1.4 ms · p99 6 ms`. */
export function deploymentDescription(d: Pick<DeploymentStatus, 'version' | 'state' | 'stats' | 'canary_version'>): string {
  const parts = [`v${d.version}${d.canary_version ? ` + canary v${d.canary_version}` : ''}`, d.state];
  if (d.state === 'ready' || d.stats.req_per_s > 0) parts.push(trafficText(d.stats));
  return parts.join(' · ');
}

/** What the deployment serves: `weather@champion → v2`, `weather/2 (pinned)`. */
export function bindingText(d: Pick<DeploymentStatus, 'model_name' | 'alias' | 'follow' | 'version' | 'previous_version'>): string {
  if (d.alias && d.follow) return `${d.model_name}@${d.alias} → v${d.version}`;
  const was = d.previous_version ? `; was v${d.previous_version}` : '';
  return `${d.model_name}/${d.version} (pinned${d.alias ? `, not following @${d.alias}` : ''}${was})`;
}

export type DetailKey = 'invocations' | 'oip' | 'version' | 'canary' | 'status' | 'traffic';

export interface DetailRow {
  key: DetailKey;
  label: string;
  value: string;
  /** Absolute URL, for the URL rows (click copies it). */
  url?: string;
}

/** The rows under a deployment: where to call it, what it serves, how it is doing. */
export function detailRows(d: DeploymentStatus, baseUrl: string): DetailRow[] {
  const base = baseUrl.replace(/\/+$/, '');
  const rows: DetailRow[] = [
    { key: 'invocations', label: 'MLflow', value: `${base}${d.endpoints.invocations}`, url: `${base}${d.endpoints.invocations}` },
    { key: 'oip', label: 'OIP v2', value: `${base}${d.endpoints.oip}`, url: `${base}${d.endpoints.oip}` },
    { key: 'version', label: 'Version', value: bindingText(d) },
  ];
  if (d.canary_version) rows.push({ key: 'canary', label: 'Canary', value: `v${d.canary_version} (${d.config.canary_percent}% of traffic)` });
  const primary = d.variants.find((v) => v.role === 'primary');
  const status: string[] = [d.state];
  if (primary) status.push(primary.runtime, `${primary.restarts} restart${primary.restarts === 1 ? '' : 's'}`);
  if (primary?.last_error && d.state !== 'ready') status.push(primary.last_error);
  rows.push({ key: 'status', label: 'Status', value: status.join(' · ') });
  rows.push({ key: 'traffic', label: 'Traffic', value: `${trafficText(d.stats)} · ${d.stats.requests} requests · ${d.stats.errors} errors` });
  return rows;
}

export function deploymentTooltip(d: DeploymentStatus, baseUrl: string): string {
  const lines = [`Deployment ${d.name}: ${bindingText(d)}`, `state: ${d.state}`];
  for (const v of d.variants) lines.push(`  ${v.role} v${v.version}: ${v.state} (${v.runtime}${v.pid ? `, pid ${v.pid}` : ''}, ${v.restarts} restarts, ${v.in_flight} in flight)${v.last_error ? ` — ${v.last_error}` : ''}`);
  lines.push('', `traffic (last 60 s): ${trafficText(d.stats)}`, `requests: ${d.stats.requests}, errors: ${d.stats.errors}, mean batch: ${d.stats.mean_batch_size}`);
  const b = d.config.batching;
  lines.push(`batching: ${b.enabled ? `on, up to ${b.max_batch_size} rows, ${b.max_delay_ms} ms wait` : 'off'} · prediction log: ${Math.round(d.config.log_sample_rate * 100)}% of requests`);
  lines.push('', `${baseUrl.replace(/\/+$/, '')}${d.endpoints.invocations}`);
  return lines.join('\n');
}

/** Product-icon id and theme colour id per state. */
export const STATE_ICONS: Record<DeploymentState, { icon: string; color?: string }> = {
  ready: { icon: 'radio-tower', color: 'testing.iconPassed' },
  loading: { icon: 'sync~spin', color: 'charts.blue' },
  restarting: { icon: 'sync~spin', color: 'charts.yellow' },
  failed: { icon: 'error', color: 'testing.iconFailed' },
  stopped: { icon: 'circle-slash' },
};

/** `cairn:deployment+ready+following+rollback`: tokens matched by regex `when` clauses in menus. */
export function deploymentContextValue(d: Pick<DeploymentStatus, 'state' | 'alias' | 'follow' | 'previous_version'>): string {
  return ['cairn:deployment', d.state, d.alias && d.follow ? 'following' : 'pinned', d.previous_version ? 'rollback' : 'norollback'].join('+');
}

export const detailContextValue = (row: DetailRow) => `cairn:deployment-detail+${row.key}${row.url ? '+url' : ''}`;
