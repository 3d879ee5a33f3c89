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
  // 1: MLflow 3 logged models and run outputs; the registry's link to them; serving deployments.
  [
    `CREATE TABLE logged_models (
      model_id TEXT PRIMARY KEY,
      experiment_id INTEGER NOT NULL,
      name TEXT NOT NULL,
      creation_timestamp_ms INTEGER NOT NULL,
      last_updated_timestamp_ms INTEGER NOT NULL,
      artifact_uri TEXT NOT NULL,
      status TEXT NOT NULL,
      creator_id TEXT NOT NULL DEFAULT '',
      model_type TEXT NOT NULL DEFAULT '',
      source_run_id TEXT NOT NULL DEFAULT '',
      status_message TEXT NOT NULL DEFAULT ''
    )`,
    'CREATE INDEX logged_models_by_experiment ON logged_models (experiment_id, creation_timestamp_ms DESC)',
    'CREATE INDEX logged_models_by_run ON logged_models (source_run_id)',
    `CREATE TABLE logged_model_tags (
      model_id TEXT NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (model_id, key)
    ) WITHOUT ROWID`,
    `CREATE TABLE logged_model_params (
      model_id TEXT NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (model_id, key)
    ) WITHOUT ROWID`,
    `CREATE TABLE run_outputs (
      run_uuid TEXT NOT NULL,
      model_id TEXT NOT NULL,
      step INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (run_uuid, model_id)
    ) WITHOUT ROWID`,
    "ALTER TABLE model_versions ADD COLUMN model_id TEXT NOT NULL DEFAULT ''",
    `CREATE TABLE deployments (
      name TEXT PRIMARY KEY,
      model_name TEXT NOT NULL,
      alias TEXT,
      follow INTEGER NOT NULL,
      version TEXT NOT NULL,
      previous_version TEXT,
      canary_version TEXT,
      config TEXT NOT NULL,
      created INTEGER NOT NULL,
      updated INTEGER NOT NULL
    )`,
  ],
  // 2: datasets and their versions (data versioning), and the indexes that link them to runs and artifacts.
  [
    `CREATE TABLE datasets (
      name TEXT PRIMARY KEY,
      creation_time INTEGER NOT NULL,
      last_updated_time INTEGER NOT NULL
    ) WITHOUT ROWID`,
    `CREATE TABLE dataset_versions (
      name TEXT NOT NULL,
      hash TEXT NOT NULL,
      kind TEXT NOT NULL,
      size INTEGER NOT NULL,
      files INTEGER NOT NULL,
      tabular TEXT,
      git_commit TEXT NOT NULL DEFAULT '',
      creation_time INTEGER NOT NULL,
      PRIMARY KEY (name, hash)
    ) WITHOUT ROWID`,
    'CREATE INDEX dataset_versions_by_hash ON dataset_versions (hash)',
    'CREATE INDEX run_inputs_by_dataset ON run_inputs (name, digest)',
    'CREATE INDEX artifacts_by_hash ON artifacts (hash)',
  ],
];
