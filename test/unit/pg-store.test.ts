import { metadataStoreConformance } from '../conformance/metadata-store.conformance';
import { metricHistoryConformance } from '../conformance/metric-history.conformance';
import { openPgStores, type PgStores } from '../../backend/store/pg/open-store';
import type { MetadataStore } from '../../backend/store/metadata-store';
import type { MetricHistoryStore } from '../../backend/store/metric-history';
import { pgTestDatabase } from '../helpers/pg';

const db = pgTestDatabase();
const schemaOf = new WeakMap<object, string>();
const storesOf = new WeakMap<object, PgStores>();

async function open(schema: string): Promise<PgStores> {
  const stores = await openPgStores({ url: await db.ready(), schema, maxConnections: 4 });
  schemaOf.set(stores.meta, schema);
  schemaOf.set(stores.history, schema);
  storesOf.set(stores.history, stores);
  return stores;
}

metadataStoreConformance('PostgreSQL', {
  open: async () => (await open(db.newSchema())).meta,
  async reopen(store: MetadataStore) {
    await store.close();
    return (await open(schemaOf.get(store)!)).meta;
  },
});

/** The history store shares its pool with the metadata store; closing it closes both. */
function historyOf(stores: PgStores): MetricHistoryStore {
  const h = stores.history;
  return {
    append: (runId, points) => h.append(runId, points),
    read: (runId, key) => h.read(runId, key),
    keys: (runId) => h.keys(runId),
    close: () => stores.close(),
  };
}
const historySchema = new WeakMap<object, string>();
metricHistoryConformance('PostgreSQL', {
  async open() {
    const schema = db.newSchema();
    const h = historyOf(await open(schema));
    historySchema.set(h, schema);
    return h;
  },
  async reopen(store) {
    const schema = historySchema.get(store)!;
    await store.close();
    const h = historyOf(await open(schema));
    historySchema.set(h, schema);
    return h;
  },
});
