import type { RunInfo } from '../api/mlflow';
import type { BackendLocation } from '../client/discovery';

/**
 * The environment of a tracked command: the run and backend under Cairn's and MLflow's names, so
 * Cairn's SDKs and the `mlflow` client log into the run `cairn run` created.
 */
export function trackedCommandEnv(base: NodeJS.ProcessEnv, run: RunInfo, backend: Pick<BackendLocation, 'url' | 'token'>, workspace: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    CAIRN_TRACKING_URI: backend.url,
    CAIRN_RUN_ID: run.run_id,
    CAIRN_EXPERIMENT_ID: run.experiment_id,
    CAIRN_WORKSPACE: workspace,
    MLFLOW_TRACKING_URI: backend.url,
    MLFLOW_RUN_ID: run.run_id,
    MLFLOW_EXPERIMENT_ID: run.experiment_id,
    // Python buffers a piped stdout; unbuffered, its output stays live (as in a terminal).
    PYTHONUNBUFFERED: base['PYTHONUNBUFFERED'] ?? '1',
  };
  if (backend.token) {
    env['CAIRN_TOKEN'] = backend.token;
    env['MLFLOW_TRACKING_TOKEN'] = backend.token;
  }
  return env;
}
