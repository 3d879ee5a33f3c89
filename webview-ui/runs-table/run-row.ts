/** A run flattened for the table: one object per row, patched in place by live events. Pure. */
import type { Run, RunStatus } from '../../backend/api/mlflow';
import { RUN_TAGS } from '../../backend/api/run-record';

export interface RunRow {
  id: string;
  experimentId: string;
  name: string;
  status: RunStatus;
  start: number;
  end: number | undefined;
  commit: string;
  starred: boolean;
  deleted: boolean;
  params: Record<string, string>;
  metrics: Record<string, number>;
}

export function toRow(run: Run): RunRow {
  const params: Record<string, string> = {};
  for (const p of run.data.params) params[p.key] = p.value;
  const metrics: Record<string, number> = {};
  for (const m of run.data.metrics) metrics[m.key] = typeof m.value === 'number' ? m.value : Number(m.value);
  let name = run.info.run_name;
  let commit = '';
  let starred = false;
  for (const t of run.data.tags) {
    if (t.key === RUN_TAGS.gitCommit) commit = t.value;
    else if (t.key === RUN_TAGS.starred) starred = t.value === 'true';
    else if (t.key === RUN_TAGS.runName && !name) name = t.value;
  }
  return {
    id: run.info.run_id,
    experimentId: run.info.experiment_id,
    name: name || run.info.run_id.slice(0, 8),
    status: run.info.status,
    start: Number(run.info.start_time),
    end: run.info.end_time ? Number(run.info.end_time) : undefined,
    commit,
    starred,
    deleted: run.info.lifecycle_stage === 'deleted',
    params,
    metrics,
  };
}

/** Applies a `metrics.appended` event's latest values; returns true if the row changed. */
export function patchMetrics(row: RunRow, latest: { key: string; value: number | string }[]): boolean {
  let changed = false;
  for (const l of latest) {
    const v = typeof l.value === 'number' ? l.value : Number(l.value);
    if (!Object.is(row.metrics[l.key], v)) {
      row.metrics[l.key] = v;
      changed = true;
    }
  }
  return changed;
}
