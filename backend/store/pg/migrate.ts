import type { PgDb } from './pg-db';
import { PG_MIGRATIONS } from './schema';

const DEFAULT_EXPERIMENT_ID = 0;
/** Arbitrary constant: replicas starting together take turns migrating. */
const MIGRATION_LOCK = 0x63616972;

/**
 * Brings the schema up to date (each migration in its own transaction, under an advisory lock so
 * concurrent replicas do not race) and seeds experiment 0 (`Default`).
 */
export async function migratePg(db: PgDb, now = Date.now()): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS cairn_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const row = (await client.query<{ value: string }>("SELECT value FROM cairn_meta WHERE key = 'schema_version'")).rows[0];
    for (let v = row ? Number(row.value) : 0; v < PG_MIGRATIONS.length; v++) {
      await client.query('BEGIN');
      try {
        for (const stmt of PG_MIGRATIONS[v]!) await client.query(stmt);
        await client.query("INSERT INTO cairn_meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(v + 1)]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
    await client.query(
      `INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
       VALUES ($1, 'Default', $2, 'active', $3, $3) ON CONFLICT DO NOTHING`,
      [DEFAULT_EXPERIMENT_ID, `mlflow-artifacts:/${DEFAULT_EXPERIMENT_ID}`, now],
    );
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}
