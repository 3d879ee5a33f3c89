import * as path from 'node:path';
import { metadataStoreConformance } from '../conformance/metadata-store.conformance';
import { openSqlJsStore, type SqlJsStore } from '../../backend/store/sqljs/open-store';
import { tmpDir } from '../helpers/tmp';
import type { MetadataStore } from '../../backend/store/metadata-store';

const root = tmpDir();
let n = 0;
const dirs = new WeakMap<MetadataStore, string>();

metadataStoreConformance('sql.js (embedded)', {
  async open() {
    const dir = path.join(root, `s${n++}`);
    const store = await openSqlJsStore(dir, { fsync: false });
    dirs.set(store, dir);
    return store;
  },
  async reopen(store) {
    const dir = dirs.get(store)!;
    await store.close();
    const again: SqlJsStore = await openSqlJsStore(dir, { fsync: false });
    dirs.set(again, dir);
    return again;
  },
});
