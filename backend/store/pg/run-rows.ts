import type { DatasetInput, KeyValue, Metric, Run, RunInfo, RunStatus } from '../../api/mlflow';
import type { PgDb } from './pg-db';

export type RunRow = {
  run_key: number;
  run_uuid: string;
  experiment_id: number;
  run_name: string;
  user_id: string;
  status: string;
  start_time: number;
  end_time: number | null;
  lifecycle_stage: string;
  artifact_uri: string;
};

type HydratedRow = RunRow & {
  params: KeyValue[] | null;
  tags: KeyValue[] | null;
  metrics: { key: string; value: number | null; timestamp: number; step: number; is_nan: boolean }[] | null;
  inputs: { name: string; digest: string; source_type: string; source: string; schema: string | null; profile: string | null; tags: string }[] | null;
  outputs: { model_id: string; step: number }[] | null;
};

/** Runs with their params, tags, latest metrics, inputs and outputs, in one round trip. */
const HYDRATE = `SELECT r.*,
  (SELECT json_agg(json_build_object('key', p.key, 'value', p.value) ORDER BY p.key) FROM params p WHERE p.run_key = r.run_key) AS params,
  (SELECT json_agg(json_build_object('key', t.key, 'value', t.value) ORDER BY t.key) FROM tags t WHERE t.run_key = r.run_key) AS tags,
  (SELECT json_agg(json_build_object('key', m.key, 'value', m.value, 'timestamp', m.timestamp, 'step', m.step, 'is_nan', m.is_nan) ORDER BY m.key)
     FROM latest_metrics m WHERE m.run_key = r.run_key) AS metrics,
  (SELECT json_agg(json_build_object('name', d.name, 'digest', d.digest, 'source_type', d.source_type, 'source', d.source, 'schema', d.schema, 'profile', d.profile, 'tags', d.tags) ORDER BY d.name)
     FROM run_inputs d WHERE d.run_uuid = r.run_uuid) AS inputs,
  (SELECT json_agg(json_build_object('model_id', o.model_id, 'step', o.step) ORDER BY o.step, o.model_id) FROM run_outputs o WHERE o.run_uuid = r.run_uuid) AS outputs
  FROM runs r WHERE r.run_uuid = ANY($1::text[])`;

/** Loads runs by id, in the order of `ids` (missing ids are left out). */
export async function loadRuns(db: PgDb, ids: string[]): Promise<Run[]> {
  if (ids.length === 0) return [];
  const rows = await db.prepared<HydratedRow>('cairn_hydrate_runs', HYDRATE, [ids]);
  const byId = new Map(rows.map((r) => [r.run_uuid, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toRun(r)] : [];
  });
}

export function toRunInfo(r: RunRow): RunInfo {
  return {
    run_id: r.run_uuid,
    run_uuid: r.run_uuid,
    run_name: r.run_name,
    experiment_id: String(r.experiment_id),
    user_id: r.user_id,
    status: r.status as RunStatus,
    start_time: Number(r.start_time),
    end_time: r.end_time === null ? undefined : Number(r.end_time),
    artifact_uri: r.artifact_uri,
    lifecycle_stage: r.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
  };
}

function toRun(r: HydratedRow): Run {
  const metrics: Metric[] = (r.metrics ?? []).map((m) => ({ key: m.key, value: m.is_nan ? NaN : Number(m.value), timestamp: Number(m.timestamp), step: Number(m.step) }));
  const inputs: DatasetInput[] = (r.inputs ?? []).map((d) => ({
    tags: JSON.parse(d.tags) as KeyValue[],
    dataset: {
      name: d.name,
      digest: d.digest,
      source_type: d.source_type,
      source: d.source,
      ...(d.schema === null ? {} : { schema: d.schema }),
      ...(d.profile === null ? {} : { profile: d.profile }),
    },
  }));
  const outputs = (r.outputs ?? []).map((o) => ({ model_id: o.model_id, step: Number(o.step) }));
  return { info: toRunInfo(r), data: { metrics, params: r.params ?? [], tags: r.tags ?? [] }, inputs: { dataset_inputs: inputs }, outputs: { model_outputs: outputs } };
}
