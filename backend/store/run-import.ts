import type { Run } from '../api/mlflow';

/**
 * Writes a run recorded elsewhere with its own id (what `cairn sync` sends): created if missing,
 * else brought up to date — info fields overwritten, params added (a different value for a known
 * param is refused), tags set, each latest metric kept if newer, inputs added. Nothing is deleted.
 * `run.info.experiment_id` must name an existing experiment of this store; a run that exists under
 * another experiment is a RESOURCE_CONFLICT. `changed` is false when the store already held it all.
 */
export interface RunImportStore {
  importRun(run: Run): Promise<{ changed: boolean }>;
}
