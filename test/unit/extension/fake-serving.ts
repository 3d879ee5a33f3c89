import type { ModelVersion, RegisteredModel } from '../../../backend/api/mlflow';
import type { DeploymentStatus } from '../../../backend/api/serving';

export function fakeVersion(o: Partial<ModelVersion> & { version: string }): ModelVersion {
  return { name: 'weather', creation_timestamp: 0, last_updated_timestamp: 0, user_id: '', current_stage: 'None', description: '', source: 'mlflow-artifacts:/1/r/artifacts/model', run_id: 'r1', status: 'READY', status_message: '', tags: [], run_link: '', aliases: [], ...o };
}

export function fakeModel(o: Partial<RegisteredModel> = {}): RegisteredModel {
  return { name: 'weather', creation_timestamp: 0, last_updated_timestamp: 0, user_id: '', description: '', latest_versions: [], tags: [], aliases: [], ...o };
}

export function fakeDeployment(o: Partial<DeploymentStatus> = {}): DeploymentStatus {
  return {
    name: 'weather',
    model_name: 'weather',
    alias: 'champion',
    follow: true,
    version: '2',
    config: { batching: { enabled: true, max_batch_size: 64, max_delay_ms: 2, max_queue: 1000 }, log_sample_rate: 1, canary_percent: 10 },
    created: 0,
    updated: 0,
    state: 'ready',
    variants: [{ version: '2', role: 'primary', state: 'ready', runtime: 'tfjs-layers', restarts: 0, in_flight: 0, queued: 0 }],
    stats: { requests: 10, errors: 1, req_per_s: 3.25, p50_ms: 1.234, p99_ms: 120.6, mean_batch_size: 1.5, log_dropped: 0 },
    endpoints: { oip: '/v2/models/weather/infer', invocations: '/deployments/weather/invocations' },
    ...o,
  };
}
