import type { ArtifactIndex, DatasetStore, DeploymentStore, ExperimentStore, LoggedModelStore, MetadataStore, RegistryStore, RunStore } from '../metadata-store';
import type { RunImportStore } from '../run-import';
import { PgArtifacts } from './artifacts';
import { PgDatasets } from './datasets';
import { PgDeployments } from './deployments';
import { PgExperiments } from './experiments';
import { PgLoggedModels } from './logged-models';
import { migratePg } from './migrate';
import { PgMetricHistoryStore } from './metric-history';
import { PgDb, type PgDbOptions } from './pg-db';
import { PgRegistry } from './registry';
import { PgRunImport } from './run-import';
import { PgRuns } from './runs';

export interface PgStores {
  db: PgDb;
  meta: MetadataStore;
  history: PgMetricHistoryStore;
  close(): Promise<void>;
}

/** Connects to PostgreSQL, migrates the schema, and returns the metadata and metric-history stores over one pool. */
export async function openPgStores(opts: PgDbOptions): Promise<PgStores> {
  const db = await PgDb.connect(opts);
  try {
    await migratePg(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  const experiments = new PgExperiments(db);
  const history = new PgMetricHistoryStore(db);
  const meta: MetadataStore = {
    ...methodsOf<ExperimentStore>(experiments),
    ...methodsOf<RunStore>(new PgRuns(db, experiments)),
    ...methodsOf<RegistryStore>(new PgRegistry(db)),
    ...methodsOf<LoggedModelStore>(new PgLoggedModels(db, experiments)),
    ...methodsOf<DeploymentStore>(new PgDeployments(db)),
    ...methodsOf<ArtifactIndex>(new PgArtifacts(db)),
    ...methodsOf<DatasetStore>(new PgDatasets(db)),
    ...methodsOf<RunImportStore>(new PgRunImport(db, experiments)),
    close: async () => {
      await history.close();
      await db.close();
    },
  };
  return { db, meta, history, close: () => meta.close() };
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
