/**
 * The metadata schema, as numbered migrations. Each runs once, through the journal, so a migration
 * is as durable as any write. Metric histories are not here: they live in append-only files.
 */
export const MIGRATIONS: string[][] = [
  [
    `CREATE TABLE experiments (
      experiment_id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      artifact_location TEXT NOT NULL,
      lifecycle_stage TEXT NOT NULL DEFAULT 'active',
      creation_time INTEGER NOT NULL,
      last_update_time INTEGER NOT NULL
    )`,
    `CREATE TABLE experiment_tags (
      experiment_id INTEGER NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (experiment_id, key)
    )`,
    // Runs get an integer key for joins: search walks these tables by the hundred thousand, and
    // integer comparisons in small b-trees are several times faster than 32-char text ones.
    `CREATE TABLE runs (
      run_key INTEGER PRIMARY KEY,
      run_uuid TEXT NOT NULL UNIQUE,
      experiment_id INTEGER NOT NULL,
      run_name TEXT NOT NULL,
      user_id TEXT NOT NULL,
      status TEXT NOT NULL,
      start_time INTEGER NOT NULL,
      end_time INTEGER,
      lifecycle_stage TEXT NOT NULL DEFAULT 'active',
      artifact_uri TEXT NOT NULL,
      deleted_time INTEGER
    )`,
    'CREATE INDEX runs_by_experiment ON runs (experiment_id, lifecycle_stage, start_time DESC, run_uuid)',
    `CREATE TABLE params (
      run_key INTEGER NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (run_key, key)
    ) WITHOUT ROWID`,
    'CREATE INDEX params_by_key_value ON params (key, value, run_key)',
    `CREATE TABLE tags (
      run_key INTEGER NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (run_key, key)
    ) WITHOUT ROWID`,
    'CREATE INDEX tags_by_key_value ON tags (key, value, run_key)',
    `CREATE TABLE latest_metrics (
      run_key INTEGER NOT NULL,
      key TEXT NOT NULL,
      value REAL,
      timestamp INTEGER NOT NULL,
      step INTEGER NOT NULL,
      is_nan INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (run_key, key)
    ) WITHOUT ROWID`,
    'CREATE INDEX latest_metrics_by_key_value ON latest_metrics (key, value, run_key)',
    `CREATE TABLE registered_models (
      name TEXT PRIMARY KEY,
      creation_timestamp INTEGER NOT NULL,
      last_updated_timestamp INTEGER NOT NULL,
      user_id TEXT NOT NULL DEFAULT '',
      description TEXT NOT NULL DEFAULT ''
    )`,
    `CREATE TABLE registered_model_tags (
      name TEXT NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (name, key)
    )`,
    `CREATE TABLE model_versions (
      name TEXT NOT NULL,
      version INTEGER NOT NULL,
      creation_timestamp INTEGER NOT NULL,
      last_updated_timestamp INTEGER NOT NULL,
      user_id TEXT NOT NULL DEFAULT '',
      current_stage TEXT NOT NULL DEFAULT 'None',
      description TEXT NOT NULL DEFAULT '',
      source TEXT NOT NULL DEFAULT '',
      run_id TEXT NOT NULL DEFAULT '',
      run_link TEXT NOT NULL DEFAULT '',
      status TEXT NOT NULL DEFAULT 'READY',
      status_message TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (name, version)
    )`,
    'CREATE INDEX model_versions_by_run ON model_versions (run_id)',
    `CREATE TABLE model_version_tags (
      name TEXT NOT NULL,
      version INTEGER NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (name, version, key)
    )`,
    `CREATE TABLE registered_model_aliases (
      name TEXT NOT NULL,
      alias TEXT NOT NULL,
      version INTEGER NOT NULL,
      PRIMARY KEY (name, alias)
    )`,
    `CREATE TABLE run_inputs (
      run_uuid TEXT NOT NULL,
      name TEXT NOT NULL,
      digest TEXT NOT NULL,
      source_type TEXT NOT NULL DEFAULT '',
      source TEXT NOT NULL DEFAULT '',
      schema TEXT,
      profile TEXT,
      context TEXT NOT NULL DEFAULT '',
      tags TEXT NOT NULL DEFAULT '[]',
      PRIMARY KEY (run_uuid, name, digest)
    ) WITHOUT ROWID`,
    `CREATE TABLE artifacts (
      path TEXT PRIMARY KEY,
      hash TEXT NOT NULL,
      size INTEGER NOT NULL,
      updated_time INTEGER NOT NULL
    ) WITHOUT ROWID`,
  ],
];
