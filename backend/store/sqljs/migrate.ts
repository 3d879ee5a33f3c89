import type { DurableDb } from './durable-db';
import { MIGRATIONS } from './schema';

const DEFAULT_EXPERIMENT_ID = 0;

/** Brings the schema up to date and seeds experiment `0` (`Default`), both through the journal. */
export async function migrate(db: DurableDb, now = Date.now()): Promise<void> {
  const row = db.get<{ value: string }>("SELECT value FROM _cairn_meta WHERE key = 'schema_version'");
  const current = row ? Number(row.value) : 0;
  for (let v = current; v < MIGRATIONS.length; v++) {
    await db.write((tx) => {
      for (const stmt of MIGRATIONS[v]!) tx.run(stmt);
      tx.run("INSERT INTO _cairn_meta (key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [String(v + 1)]);
    });
  }
  if (!db.get('SELECT 1 AS one FROM experiments WHERE experiment_id = ?', [DEFAULT_EXPERIMENT_ID])) {
    await db.write((tx) =>
      tx.run(
        "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (?, 'Default', ?, 'active', ?, ?)",
        [DEFAULT_EXPERIMENT_ID, `mlflow-artifacts:/${DEFAULT_EXPERIMENT_ID}`, now, now],
      ),
    );
  }
}
