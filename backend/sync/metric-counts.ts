import type { MetricHistoryStore } from '../store/metric-history';

/** Points per key of a run's history; stores that can count without reading (PostgreSQL) do. */
export async function metricCounts(history: MetricHistoryStore, runId: string): Promise<Record<string, number>> {
  const counting = history as MetricHistoryStore & { counts?(runId: string): Promise<Record<string, number>> };
  if (typeof counting.counts === 'function') return counting.counts(runId);
  const out: Record<string, number> = {};
  for (const key of await history.keys(runId)) out[key] = (await history.read(runId, key)).value.length;
  return out;
}
