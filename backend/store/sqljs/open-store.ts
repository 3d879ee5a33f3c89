import * as path from 'node:path';
import type { ArtifactIndex, DatasetStore, DeploymentStore, ExperimentStore, LoggedModelStore, MetadataStore, RegistryStore, RunStore } from '../metadata-store';
import { SqlArtifacts } from './artifacts';
import { SqlDatasets } from './datasets';
import { DurableDb, type DurableDbOptions } from './durable-db';
import { SqlDeployments } from './deployments';
import { SqlExperiments } from './experiments';
import { SqlLoggedModels } from './logged-models';
import { migrate } from './migrate';
import { SqlRegistry } from './registry';
import { SqlRuns } from './runs';
import { SqlRunImport } from './run-import';
import type { RunImportStore } from '../run-import';

export interface SqlJsStore extends MetadataStore {
  readonly durable: DurableDb;
}

/** Opens (or creates) the embedded metadata store in `<dir>/meta/`. */
export async function openSqlJsStore(dir: string, opts: Omit<DurableDbOptions, 'dir'> = {}): Promise<SqlJsStore> {
  const durable = await DurableDb.open({ ...opts, dir: path.join(dir, 'meta') });
  await migrate(durable);
  const experiments = new SqlExperiments(durable);
  return {
    ...methodsOf<ExperimentStore>(experiments),
    ...methodsOf<RunStore>(new SqlRuns(durable, experiments)),
    ...methodsOf<RegistryStore>(new SqlRegistry(durable)),
    ...methodsOf<LoggedModelStore>(new SqlLoggedModels(durable, experiments)),
    ...methodsOf<DeploymentStore>(new SqlDeployments(durable)),
    ...methodsOf<ArtifactIndex>(new SqlArtifacts(durable)),
    ...methodsOf<DatasetStore>(new SqlDatasets(durable)),
    ...methodsOf<RunImportStore>(new SqlRunImport(durable, experiments)),
    durable,
    close: () => durable.close(),
  };
}

/** The public methods of a class instance as bound functions, so several can form one object. */
function methodsOf<I extends object>(obj: I): I {
  const out: Record<string, unknown> = {};
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(obj))) {
    const v = (obj as Record<string, unknown>)[name];
    if (name !== 'constructor' && typeof v === 'function') out[name] = v.bind(obj);
  }
  return out as I;
}
