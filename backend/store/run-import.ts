import type { Run } from '../api/mlflow';
import type { LoggedModel } from '../api/registry';

/**
 * Writes entities recorded elsewhere with their own ids (what `cairn sync` sends). Nothing is
 * deleted, and `changed` is false when the store already held it all.
 */
export interface RunImportStore {
  /**
   * A run: created if missing, else brought up to date — info fields overwritten, params added (a
   * different value for a known param is refused), tags set, each latest metric kept if newer,
   * inputs and outputs (logged models it produced) added. `run.info.experiment_id` must name an
   * existing experiment of this store; a run that exists under another experiment is a
   * RESOURCE_CONFLICT. Outputs may name logged models imported after the run.
   */
  importRun(run: Run): Promise<{ changed: boolean }>;
  /**
   * An MLflow 3 logged model, by the same rules: created with its id if missing, else its info
   * overwritten, tags set and params added (a different value for a known param is refused).
   */
  importLoggedModel(model: LoggedModel): Promise<{ changed: boolean }>;
}
