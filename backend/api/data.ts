/**
 * Types of data versioning: pointer files, folder manifests, the native object and dataset
 * endpoints, and the JSON the `cairn data … --json` commands print. Imported type-only by the
 * extension and the webviews.
 */

/** Lowercase hex sha256 of an object's bytes. */
export type ObjectHash = string;

export type TabularFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

export type ColumnType = 'integer' | 'number' | 'boolean' | 'date' | 'string' | 'object' | 'mixed' | 'null';

/** Schema and statistics of one column. Numeric stats only for integer/number columns. */
export interface ColumnSummary {
  name: string;
  type: ColumnType;
  nulls: number;
  /** Exact count of distinct non-null values; with `distinct_capped`, more than this many (counting stopped). */
  distinct?: number;
  distinct_capped?: boolean;
  min?: number | string;
  max?: number | string;
  mean?: number;
  std?: number;
}

/** Schema, row count and per-column statistics of a CSV/TSV/JSONL/Parquet file. */
export interface TabularSummary {
  format: TabularFormat;
  rows: number;
  columns: ColumnSummary[];
  /** Set when the file was too large to profile fully: stats come from the first rows only. */
  sampled_rows?: number;
}

/**
 * `PATH.cairn`, committed to git next to the git-ignored data at PATH. `hash` is the object's hash
 * for a file, the manifest's for a folder.
 */
export interface DataPointer {
  kind: 'file' | 'dir';
  hash: ObjectHash;
  /** Bytes of the data (a folder: of all its files). */
  size: number;
  files: number;
  tabular?: TabularSummary;
}

export interface ManifestEntry {
  /** `/`-separated path relative to the folder. */
  path: string;
  hash: ObjectHash;
  size: number;
}

/** A folder's content: stored as an object, named by the pointer's `hash`. Sorted by path. */
export interface Manifest {
  files: ManifestEntry[];
}

// ── Native API: objects ───────────────────────────────────────────────────────────────────

/** `POST /api/cairn/v1/objects/missing` — which of these objects the backend does not have. */
export interface MissingObjectsRequest {
  hashes: ObjectHash[];
}
export interface MissingObjectsResponse {
  missing: ObjectHash[];
}

/** `PUT /api/cairn/v1/objects/{hash}` (raw bytes, verified against the hash) answers this. */
export interface PutObjectResponse {
  hash: ObjectHash;
  size: number;
}

/** `POST /api/cairn/v1/objects/pack` (a pack stream of small objects) answers this. */
export interface PutPackResponse {
  stored: number;
  bytes: number;
}

/** `POST /api/cairn/v1/objects/pack/get` — a pack stream of these objects (all must exist). */
export interface GetPackRequest {
  hashes: ObjectHash[];
}

/** `POST /api/cairn/v1/objects/in-use` — which of these objects artifacts or datasets reference. */
export interface ObjectsInUseRequest {
  hashes: ObjectHash[];
}
export interface ObjectsInUseResponse {
  in_use: ObjectHash[];
}

// ── Native API: datasets ──────────────────────────────────────────────────────────────────

/**
 * How a tracked dataset version appears among a run's MLflow inputs (`runs/log-inputs`):
 * `source_type` is this, `digest` is `datasetDigest(hash)` (MLflow caps digests at 36 characters),
 * and `source` is the JSON of a DatasetSource, which carries the full hash.
 */
export const CAIRN_DATASET_SOURCE_TYPE = 'cairn';
export const datasetDigest = (hash: ObjectHash): string => hash.slice(0, 32);

export interface DatasetSource {
  /** Workspace-relative path of the data. */
  path: string;
  hash: ObjectHash;
  kind: 'file' | 'dir';
  size: number;
  files: number;
}

/** One version of a dataset as registered by `cairn data push` or `cairn run`. */
export interface DatasetVersionInput {
  /** The dataset's name: its path relative to the workspace root (`data/train.csv`). */
  name: string;
  hash: ObjectHash;
  kind: 'file' | 'dir';
  size: number;
  files: number;
  tabular?: TabularSummary;
  /** The commit holding this pointer version, when it was committed. */
  git_commit?: string;
}

export interface DatasetVersion extends DatasetVersionInput {
  created_time: number;
  /** Runs that logged this version as an input (MLflow `runs/log-inputs`), newest first. */
  run_ids: string[];
}

export interface DatasetSummary {
  name: string;
  versions: number;
  latest: DatasetVersion;
  last_updated_time: number;
}

/** `POST /api/cairn/v1/datasets/versions` */
export interface RegisterDatasetVersionsRequest {
  versions: DatasetVersionInput[];
}
/** `GET /api/cairn/v1/datasets` */
export interface ListDatasetsResponse {
  datasets: DatasetSummary[];
}
/** `GET /api/cairn/v1/datasets/{name}` (the name may contain slashes) */
export interface GetDatasetResponse {
  name: string;
  versions: DatasetVersion[];
}

// ── CLI JSON output ───────────────────────────────────────────────────────────────────────

export type DataState = 'clean' | 'modified' | 'missing';

/** One tracked path in `cairn data status --json`. */
export interface DataStatusEntry {
  /** Workspace-relative path of the data (`data/images`). */
  path: string;
  pointer: string;
  kind: 'file' | 'dir';
  state: DataState;
  /** For folders: files that differ from the manifest. */
  changed?: string[];
  /** Files in a tracked folder that its manifest does not list. */
  untracked?: string[];
  /** Files the manifest lists that are absent. */
  missing?: string[];
  /** The pointer's object (or a folder's manifest) is not in the local store. */
  not_in_store?: boolean;
  /** What the pointer records: its hash, bytes, files and (tables) rows. */
  hash?: ObjectHash;
  size?: number;
  files?: number;
  rows?: number;
}

export interface DataStatusReport {
  workspace: string;
  entries: DataStatusEntry[];
}

export interface SchemaChange {
  column: string;
  change: 'added' | 'removed' | 'type';
  from?: ColumnType;
  to?: ColumnType;
}

export interface ColumnStatsChange {
  column: string;
  a?: ColumnSummary;
  b?: ColumnSummary;
}

export interface TabularDiff {
  rows_a?: number;
  rows_b?: number;
  /** Rows in B and not in A, and the reverse (a multiset comparison), when both contents were readable. */
  rows_added?: number;
  rows_removed?: number;
  schema: SchemaChange[];
  columns: ColumnStatsChange[];
}

export interface FileChange {
  path: string;
  change: 'added' | 'removed' | 'changed';
  size_a?: number;
  size_b?: number;
  tabular?: TabularDiff;
}

/** `cairn data diff PATH [REV_A [REV_B]] --json` */
export interface DataDiffReport {
  path: string;
  /** A git revision, or `workspace` for the data on disk. */
  a: string;
  b: string;
  hash_a?: ObjectHash;
  hash_b?: ObjectHash;
  identical: boolean;
  size_a?: number;
  size_b?: number;
  /** For a folder: per-file changes (a file: one entry, with `tabular` when it is a table). */
  files: FileChange[];
}

/** One version of a pointer in git history (`cairn data log PATH --json`), newest first. */
export interface DataLogEntry {
  commit: string;
  time: number;
  author: string;
  subject: string;
  pointer: DataPointer;
}
