import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rejectsWithCode } from '../helpers/tmp';
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

it('refuses a metrics-only batch (the one-statement path) for deleted and unknown runs, and audits only changes', async () => {
  const { meta, db: pgDb } = await open(db.newSchema());
  try {
    const run = await meta.createRun({ experimentId: '0', userId: 'u', runName: 'fast', startTime: 1, tags: [] });
    const id = run.info.run_id;
    const audits = async () => Number((await pgDb.one<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'run.log-batch'"))!.n);
    await meta.logBatch(id, { params: [], tags: [], latest: [{ key: 'm', value: 2, timestamp: 1, step: 1 }] });
    assert.equal(await audits(), 1);
    await meta.logBatch(id, { params: [], tags: [], latest: [{ key: 'm', value: 1, timestamp: 1, step: 0 }] });
    assert.equal(await audits(), 1, 'an older value changes nothing and is not audited');
    assert.equal((await meta.getRun(id)).data.metrics[0]?.value, 2);
    await meta.deleteRun(id);
    await rejectsWithCode(meta.logBatch(id, { params: [], tags: [], latest: [{ key: 'm', value: 9, timestamp: 9, step: 9 }] }), 'INVALID_STATE');
    await rejectsWithCode(meta.logBatch('f'.repeat(32), { params: [], tags: [], latest: [] }), 'RESOURCE_DOES_NOT_EXIST');
    await meta.restoreRun(id);
    assert.equal((await meta.getRun(id)).data.metrics[0]?.value, 2, 'the refused batch wrote nothing');
  } finally {
    await meta.close();
  }
});
