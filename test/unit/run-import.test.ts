import * as path from 'node:path';
import { openPgStores } from '../../backend/store/pg/open-store';
import { openSqlJsStore } from '../../backend/store/sqljs/open-store';
import { runImportConformance } from '../conformance/run-import.conformance';
import { pgTestDatabase } from '../helpers/pg';
import { tmpDir } from '../helpers/tmp';

const root = tmpDir();
const db = pgTestDatabase();
let n = 0;

runImportConformance('sql.js (embedded)', () => openSqlJsStore(path.join(root, `s${n++}`), { fsync: false }));
runImportConformance('PostgreSQL', async () => (await openPgStores({ url: await db.ready(), schema: db.newSchema(), maxConnections: 2 })).meta);
