/**
 * The PostgreSQL schema as numbered migrations (append a new array; never edit an applied one).
 * Text that is compared or sorted uses the "C" collation: byte order, like the sql.js store, and
 * btree indexes that serve case-sensitive LIKE 'prefix%'. Metric histories live in
 * `metric_chunks` (one row per appended batch and key), never in the tables runs/search touches.
 *
 * Indexes are chosen for runs/search at millions of runs:
 *  - runs (experiment_id, lifecycle_stage, start_time DESC, run_uuid): the default listing is an
 *    index range scan that stops after one page;
 *  - latest_metrics (key, value) INCLUDE (run_key), params/tags (key, left(value, 256)): filters
 *    and order keys start from the (key, value) range of the key they name. Values are indexed by
 *    their first 256 characters because a btree entry cannot hold a 8,000-character tag.
 */
export const PG_MIGRATIONS: string[][] = [
  [
    `CREATE TABLE experiments (
      experiment_id BIGINT PRIMARY KEY,
      name TEXT COLLATE "C" NOT NULL UNIQUE,
      artifact_location TEXT NOT NULL,
      lifecycle_stage TEXT COLLATE "C" NOT NULL DEFAULT 'active',
      creation_time BIGINT NOT NULL,
      last_update_time BIGINT NOT NULL
    )`,
    'CREATE SEQUENCE experiment_ids START 1',
    `CREATE TABLE experiment_tags (
      experiment_id BIGINT NOT NULL,
      key TEXT COLLATE "C" NOT NULL,
      value TEXT COLLATE "C" NOT NULL,
      PRIMARY KEY (experiment_id, key)
    )`,
    // Runs get an integer key for joins: search probes params/tags/metrics by the thousand, and
    // 8-byte keys make those indexes (and every probe) several times smaller than 32-char ids.
    `CREATE TABLE runs (
      run_key BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      run_uuid TEXT COLLATE "C" NOT NULL UNIQUE,
      experiment_id BIGINT NOT NULL,
      run_name TEXT COLLATE "C" NOT NULL,
      user_id TEXT COLLATE "C" NOT NULL,
      status TEXT COLLATE "C" NOT NULL,
      start_time BIGINT NOT NULL,
      end_time BIGINT,
      lifecycle_stage TEXT COLLATE "C" NOT NULL DEFAULT 'active',
      artifact_uri TEXT COLLATE "C" NOT NULL,
      deleted_time BIGINT
    )`,
    'CREATE INDEX runs_by_experiment ON runs (experiment_id, lifecycle_stage, start_time DESC, run_uuid) INCLUDE (run_key)',
    `CREATE TABLE params (
      run_key BIGINT NOT NULL,
      key TEXT COLLATE "C" NOT NULL,
      value TEXT COLLATE "C" NOT NULL,
      PRIMARY KEY (run_key, key)
    )`,
    'CREATE INDEX params_by_key_value ON params (key, left(value, 256)) INCLUDE (run_key)',
    `CREATE TABLE tags (
      run_key BIGINT NOT NULL,
      key TEXT COLLATE "C" NOT NULL,
      value TEXT COLLATE "C" NOT NULL,
      PRIMARY KEY (run_key, key)
    )`,
    'CREATE INDEX tags_by_key_value ON tags (key, left(value, 256)) INCLUDE (run_key)',
    `CREATE TABLE latest_metrics (
      run_key BIGINT NOT NULL,
      key TEXT COLLATE "C" NOT NULL,
      value DOUBLE PRECISION,
      timestamp BIGINT NOT NULL,
      step BIGINT NOT NULL,
      is_nan BOOLEAN NOT NULL DEFAULT false,
      PRIMARY KEY (run_key, key)
    )`,
    'CREATE INDEX latest_metrics_by_key_value ON latest_metrics (key, value) INCLUDE (run_key)',
    `CREATE TABLE metric_chunks (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      run_uuid TEXT COLLATE "C" NOT NULL,
      key TEXT COLLATE "C" NOT NULL,
      n INTEGER NOT NULL,
      points BYTEA NOT NULL
    )`,
    'CREATE INDEX metric_chunks_by_run_key ON metric_chunks (run_uuid, key, id)',
    `CREATE TABLE run_inputs (
      run_uuid TEXT COLLATE "C" NOT NULL,
      name TEXT COLLATE "C" NOT NULL,
      digest TEXT COLLATE "C" NOT NULL,
      source_type TEXT NOT NULL DEFAULT '',
      source TEXT NOT NULL DEFAULT '',
      schema TEXT,
      profile TEXT,
      context TEXT COLLATE "C" NOT NULL DEFAULT '',
      tags TEXT NOT NULL DEFAULT '[]',
      PRIMARY KEY (run_uuid, name, digest)
    )`,
    `CREATE TABLE registered_models (
      name TEXT COLLATE "C" PRIMARY KEY,
      creation_timestamp BIGINT NOT NULL,
      last_updated_timestamp BIGINT NOT NULL,
      user_id TEXT NOT NULL DEFAULT '',
      description TEXT NOT NULL DEFAULT ''
    )`,
    `CREATE TABLE registered_model_tags (
      name TEXT COLLATE "C" NOT NULL,
      key TEXT COLLATE "C" NOT NULL,
      value TEXT COLLATE "C" NOT NULL,
      PRIMARY KEY (name, key)
    )`,
    `CREATE TABLE model_versions (
      name TEXT COLLATE "C" NOT NULL,
      version BIGINT NOT NULL,
      creation_timestamp BIGINT NOT NULL,
      last_updated_timestamp BIGINT NOT NULL,
      user_id TEXT NOT NULL DEFAULT '',
      current_stage TEXT COLLATE "C" NOT NULL DEFAULT 'None',
      description TEXT NOT NULL DEFAULT '',
      source TEXT COLLATE "C" NOT NULL DEFAULT '',
      run_id TEXT COLLATE "C" NOT NULL DEFAULT '',
      run_link TEXT NOT NULL DEFAULT '',
      status TEXT NOT NULL DEFAULT 'READY',
      status_message TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (name, version)
    )`,
    'CREATE INDEX model_versions_by_run ON model_versions (run_id)',
    `CREATE TABLE model_version_tags (
      name TEXT COLLATE "C" NOT NULL,
      version BIGINT NOT NULL,
      key TEXT COLLATE "C" NOT NULL,
      value TEXT COLLATE "C" NOT NULL,
      PRIMARY KEY (name, version, key)
    )`,
    `CREATE TABLE registered_model_aliases (
      name TEXT COLLATE "C" NOT NULL,
      alias TEXT COLLATE "C" NOT NULL,
      version BIGINT NOT NULL,
      PRIMARY KEY (name, alias)
    )`,
    `CREATE TABLE artifacts (
      path TEXT COLLATE "C" PRIMARY KEY,
      hash TEXT NOT NULL,
      size BIGINT NOT NULL,
      updated_time BIGINT NOT NULL
    )`,
    `CREATE TABLE audit_log (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at BIGINT NOT NULL,
      actor TEXT NOT NULL,
      role TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT NOT NULL
    )`,
    'CREATE INDEX audit_log_by_actor ON audit_log (actor, id)',
    `CREATE TABLE users (
      name TEXT COLLATE "C" PRIMARY KEY,
      role TEXT NOT NULL,
      password_hash TEXT,
      created_at BIGINT NOT NULL,
      revoked_at BIGINT
    )`,
    `CREATE TABLE tokens (
      id TEXT PRIMARY KEY,
      secret_hash TEXT NOT NULL,
      user_name TEXT COLLATE "C" NOT NULL,
      label TEXT NOT NULL DEFAULT '',
      created_at BIGINT NOT NULL,
      last_used_at BIGINT,
      revoked_at BIGINT
    )`,
    'CREATE INDEX tokens_by_user ON tokens (user_name)',
    `CREATE TABLE event_payloads (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at BIGINT NOT NULL,
      payload TEXT NOT NULL
    )`,
  ],
  // 1: MLflow 3 logged models and run outputs; the registry's link to them; serving deployments
  // (as sql.js migration 1).
  [
    `CREATE TABLE logged_models (
      model_id TEXT COLLATE "C" PRIMARY KEY,
      experiment_id BIGINT NOT NULL,
      name TEXT COLLATE "C" NOT NULL,
      creation_timestamp_ms BIGINT NOT NULL,
      last_updated_timestamp_ms BIGINT NOT NULL,
      artifact_uri TEXT NOT NULL,
      status TEXT COLLATE "C" NOT NULL,
      creator_id TEXT NOT NULL DEFAULT '',
      model_type TEXT COLLATE "C" NOT NULL DEFAULT '',
      source_run_id TEXT COLLATE "C" NOT NULL DEFAULT '',
      status_message TEXT NOT NULL DEFAULT ''
    )`,
    'CREATE INDEX logged_models_by_experiment ON logged_models (experiment_id, creation_timestamp_ms DESC)',
    'CREATE INDEX logged_models_by_run ON logged_models (source_run_id)',
    `CREATE TABLE logged_model_tags (
      model_id TEXT COLLATE "C" NOT NULL,
      key TEXT COLLATE "C" NOT NULL,
      value TEXT COLLATE "C" NOT NULL,
      PRIMARY KEY (model_id, key)
    )`,
    `CREATE TABLE logged_model_params (
      model_id TEXT COLLATE "C" NOT NULL,
      key TEXT COLLATE "C" NOT NULL,
      value TEXT COLLATE "C" NOT NULL,
      PRIMARY KEY (model_id, key)
    )`,
    `CREATE TABLE run_outputs (
      run_uuid TEXT COLLATE "C" NOT NULL,
      model_id TEXT COLLATE "C" NOT NULL,
      step BIGINT NOT NULL DEFAULT 0,
      PRIMARY KEY (run_uuid, model_id)
    )`,
    'CREATE INDEX run_outputs_by_model ON run_outputs (model_id)',
    `ALTER TABLE model_versions ADD COLUMN model_id TEXT COLLATE "C" NOT NULL DEFAULT ''`,
    `CREATE TABLE deployments (
      name TEXT COLLATE "C" PRIMARY KEY,
      model_name TEXT COLLATE "C" NOT NULL,
      alias TEXT,
      follow BOOLEAN NOT NULL,
      version TEXT NOT NULL,
      previous_version TEXT,
      canary_version TEXT,
      config TEXT NOT NULL,
      created BIGINT NOT NULL,
      updated BIGINT NOT NULL
    )`,
  ],
  // 2: datasets and their versions (data versioning), and the indexes that link them to runs and
  // artifacts (as sql.js migration 2).
  [
    `CREATE TABLE datasets (
      name TEXT COLLATE "C" PRIMARY KEY,
      creation_time BIGINT NOT NULL,
      last_updated_time BIGINT NOT NULL
    )`,
    `CREATE TABLE dataset_versions (
      name TEXT COLLATE "C" NOT NULL,
      hash TEXT COLLATE "C" NOT NULL,
      kind TEXT NOT NULL,
      size BIGINT NOT NULL,
      files BIGINT NOT NULL,
      tabular TEXT,
      git_commit TEXT NOT NULL DEFAULT '',
      creation_time BIGINT NOT NULL,
      PRIMARY KEY (name, hash)
    )`,
    'CREATE INDEX dataset_versions_by_hash ON dataset_versions (hash)',
    // digest first: it serves both a version's runs (name, digest) and objects-in-use (digest alone).
    'CREATE INDEX run_inputs_by_dataset ON run_inputs (digest, name)',
    'CREATE INDEX artifacts_by_hash ON artifacts (hash)',
  ],
];
