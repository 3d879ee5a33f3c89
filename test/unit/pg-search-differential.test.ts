/**
 * runs/search on PostgreSQL must answer exactly as the embedded sql.js store: the same generated
 * runs (missing keys, NaN, tied values, long values) go into both, and every query × order × page size
 * must return the same runs in the same order.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MetadataStore } from '../../backend/store/metadata-store';
import { openPgStores } from '../../backend/store/pg/open-store';
import { openSqlJsStore } from '../../backend/store/sqljs/open-store';
import { parseRunFilter, parseRunOrderBy } from '../../backend/search/runs';
import { pgTestDatabase } from '../helpers/pg';
import { tmpDir } from '../helpers/tmp';

const db = pgTestDatabase();
const root = tmpDir();
const stores: { name: string; s: MetadataStore; exp: string }[] = [];

/** A small deterministic generator, so a failure reproduces. */
function rng(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

describe('PostgreSQL vs sql.js runs/search', () => {
  before(async () => {
    const pg = await openPgStores({ url: await db.ready(), schema: 'diff', maxConnections: 4 });
    const lite = await openSqlJsStore(path.join(root, 'lite'), { fsync: false });
    for (const [name, s] of [['postgres', pg.meta], ['sqljs', lite]] as const) {
      const exp = await s.createExperiment({ name: 'diff' });
      const other = await s.createExperiment({ name: 'other' });
      const r = rng(7);
      for (let i = 0; i < 60; i++) {
        const run = await s.createRun({ experimentId: i % 9 === 0 ? other : exp, userId: `u${i % 3}`, runName: `run-${String(i).padStart(2, '0')}`, startTime: 1000 + i, tags: [] });
        const latest = [];
        if (r() < 0.8) latest.push({ key: 'acc', value: r() < 0.1 ? NaN : Math.round(r() * 20) / 20, timestamp: 1, step: 0 });
        if (r() < 0.6) latest.push({ key: 'loss', value: Math.round(r() * 100) / 10, timestamp: 1, step: 0 });
        const params = [];
        if (r() < 0.85) params.push({ key: 'model', value: ['mlp', 'MLP', 'lasso', 'Lasso', 'forest'][Math.floor(r() * 5)]! });
        if (r() < 0.5) params.push({ key: 'note', value: (r() < 0.5 ? 'x' : 'y').repeat(300) + String(i % 4) });
        const tags = r() < 0.7 ? [{ key: 'team', value: ['vision', 'nlp', 'tab'][Math.floor(r() * 3)]! }] : [];
        await s.logBatch(run.info.run_id, { params, tags, latest });
        if (i % 11 === 0) await s.updateRun(run.info.run_id, { status: 'FAILED', endTime: 5000 + i });
        if (i % 4 === 0) await s.deleteRun(run.info.run_id);
      }
      stores.push({ name, s, exp });
    }
  });
  after(async () => {
    for (const { s } of stores) await s.close();
  });

  const FILTERS = [
    '',
    'metrics.acc > 0.5',
    'metrics.acc >= 0.5 AND metrics.loss < 5',
    "params.model = 'mlp'",
    "params.model LIKE 'L%'",
    "params.model ILIKE 'l%'",
    "params.model != 'forest' AND tags.team = 'nlp'",
    `params.note = '${'x'.repeat(300)}1'`,
    "tags.team ILIKE 'V%' AND metrics.acc <= 0.9",
    "attributes.status = 'FAILED'",
    "attributes.user_id = 'u1' AND metrics.loss > 2",
  ];
  const ORDERS = [[], ['metrics.acc DESC'], ['metrics.acc ASC'], ['metrics.loss DESC', 'params.model ASC'], ['params.model DESC'], ['tags.team ASC', 'metrics.acc DESC'], ['attributes.end_time DESC'], ['attributes.run_name ASC']];

  it('answers every filter × order × page size exactly as sql.js does', async () => {
    let compared = 0;
    for (const view of ['ACTIVE_ONLY', 'DELETED_ONLY'] as const) {
      for (const filter of FILTERS) {
        for (const order of ORDERS) {
          for (const size of [9, 1000]) {
            const pages: string[][] = [];
            for (const { s, exp } of stores) {
              const names: string[] = [];
              for (let offset: number | undefined = 0; offset !== undefined; ) {
                const res = await s.searchRuns({ experimentIds: [exp], viewType: view, filter: parseRunFilter(filter), orderBy: parseRunOrderBy(order), maxResults: size, offset });
                names.push(...res.items.map((x) => x.info.run_name));
                offset = res.nextOffset;
              }
              pages.push(names);
            }
            assert.deepEqual(pages[0], pages[1], `${view} | ${filter} | ${order.join(', ')} | pages of ${size}`);
            compared++;
          }
        }
      }
    }
    assert.equal(compared, 2 * FILTERS.length * ORDERS.length * 2);
  });
});
