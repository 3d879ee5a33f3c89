import type { Run } from '../../../backend/api/mlflow';

/** A Run as the API returns it, built from the fields a test cares about. */
export function fakeRun(over: { id?: string; exp?: string; name?: string; status?: Run['info']['status']; start?: number; end?: number; metrics?: Record<string, number>; params?: Record<string, string>; tags?: Record<string, string>; deleted?: boolean } = {}): Run {
  const id = over.id ?? 'r1';
  return {
    info: { run_id: id, run_uuid: id, run_name: over.name ?? 'brave-fox-1', experiment_id: over.exp ?? '1', user_id: 'u', status: over.status ?? 'FINISHED', start_time: over.start ?? 1000, end_time: over.end, artifact_uri: `mlflow-artifacts:/1/${id}/artifacts`, lifecycle_stage: over.deleted ? 'deleted' : 'active' },
    data: {
      metrics: Object.entries(over.metrics ?? {}).map(([key, value]) => ({ key, value, step: 0, timestamp: 0 })),
      params: Object.entries(over.params ?? {}).map(([key, value]) => ({ key, value })),
      tags: Object.entries(over.tags ?? {}).map(([key, value]) => ({ key, value })),
    },
    inputs: { dataset_inputs: [] },
  };
}
