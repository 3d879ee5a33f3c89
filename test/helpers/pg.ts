/**
 * Throwaway PostgreSQL databases for tests. The server comes from `CAIRN_TEST_PG_URL` (default
 * postgres://cairn:cairn@127.0.0.1:5432/postgres, what scripts/start-postgres.sh sets up; CI starts
 * it). Call `pgTestDatabase()` at the top level of a test file: the database is created before the
 * file's tests and dropped after them. If PostgreSQL is not reachable the tests FAIL, saying so.
 */
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import pg from 'pg';

export const PG_ADMIN_URL = process.env['CAIRN_TEST_PG_URL'] ?? 'postgres://cairn:cairn@127.0.0.1:5432/postgres';

export interface PgTestDatabase {
  /** Resolves with the connection string of the throwaway database once it exists. */
  ready(): Promise<string>;
  /** A fresh, empty schema name inside it, for one store of a conformance test. */
  newSchema(): string;
}

/**
 * Creates the database right away (Node 20 runs top-level `before` hooks concurrently, so tests
 * await `ready()` instead of relying on hook order) and drops it after the file's tests.
 */
export function pgTestDatabase(): PgTestDatabase {
  const name = `cairn_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  let schemas = 0;
  const ready = create(name);
  ready.catch(() => {}); // reported by whoever awaits it, and by the hook below
  before(() => ready);
  after(async () => {
    if (!(await ready.then(() => true, () => false))) return;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  });
  return { ready: () => ready, newSchema: () => `s${schemas++}` };
}

async function create(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 30_000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is required for this test but is not reachable at ${PG_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')} (${(err as Error).message}). ` +
        "Start it with 'bash scripts/start-postgres.sh' (Debian package 'postgresql'), or point CAIRN_TEST_PG_URL at a server whose user may CREATE DATABASE.",
    );
  }
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    // Throwaway data: skip waiting for WAL flushes (the durability of PostgreSQL itself is not under test).
    await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  } finally {
    await admin.end();
  }
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}
