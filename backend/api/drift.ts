// Wire types of the drift API (/api/cairn/v1/drift…) and of `cairn drift --json`.

export type DriftColumnType = 'num' | 'cat';

/** Where a side of the comparison comes from. */
export type DriftSource =
  | { path: string; format?: 'csv' | 'jsonl' | 'parquet' }
  | { dataset: string; version?: string }
  | { deployment: string; start?: number; end?: number };

export interface DriftRequest {
  reference: DriftSource;
  current: DriftSource;
  /** Columns to test (default: every numerical and categorical column present on both sides). */
  columns?: string[];
  numerical_columns?: string[];
  categorical_columns?: string[];
  /** A stat test for every column (Evidently's `method`). */
  method?: string;
  num_method?: string;
  cat_method?: string;
  per_column_method?: Record<string, string>;
  threshold?: number;
  num_threshold?: number;
  cat_threshold?: number;
  per_column_threshold?: Record<string, number>;
  /** Share of drifted columns at or above which the dataset drifts (default 0.5). */
  drift_share?: number;
  /** Values kept per column and side before switching to sketches (default 200,000). */
  exact_limit?: number;
}

export interface SideSummary {
  count: number;
  missing: number;
  /** numerical columns */
  mean?: number;
  std?: number;
  min?: number;
  max?: number;
  /** distinct values (a lower bound when `unique_at_least` is true) */
  unique: number;
  unique_at_least?: boolean;
}

/** Evidently's "small distribution": numerical = 10 equal-width bins with densities per side; categorical = counts. */
export interface SmallHistogram {
  x: (number | string | boolean)[];
  y: number[];
}

export interface ColumnDriftResult {
  column: string;
  column_type: DriftColumnType;
  stattest: string;
  stattest_display_name: string;
  threshold: number;
  drift_score: number;
  drift_detected: boolean;
  /** Evidently's sentence: "Drift score is 0.xx. The drift detection method is X. The drift threshold is 0.xx." */
  description: string;
  /** Present when the score was computed from sketches or a sample rather than every value. */
  approximation?: string;
  reference: SideSummary;
  current: SideSummary;
  histogram: { reference: SmallHistogram; current: SmallHistogram };
}

export interface DriftReport {
  dataset_drift: boolean;
  /** The threshold on the share of drifted columns. */
  drift_share: number;
  number_of_columns: number;
  number_of_drifted_columns: number;
  share_of_drifted_columns: number;
  columns: ColumnDriftResult[];
  /** Columns whose score is approximate (sketched inputs). */
  approximated_columns: string[];
  /** Columns present but not tested (datetime, too many categories, only on one side), with why. */
  skipped_columns: { column: string; reason: string }[];
  reference: { source: string; rows: number };
  current: { source: string; rows: number };
  exact_limit: number;
  seconds: number;
}

/** A stored report, as listed. */
export interface DriftReportSummary {
  id: string;
  created: number;
  dataset_drift: boolean;
  number_of_columns: number;
  number_of_drifted_columns: number;
  share_of_drifted_columns: number;
  reference: string;
  current: string;
  /** The monitor that produced it, if any. */
  monitor?: string;
}

export interface StoredDriftReport extends DriftReport {
  id: string;
  created: number;
  monitor?: string;
}

/** `POST /api/cairn/v1/quality/reports`: model quality over time from a prediction log joined with feedback. */
export interface QualityRequest {
  deployment: string;
  /** 'classification' | 'regression'; inferred from the labels when absent. */
  task?: 'classification' | 'regression';
  /** Window length in ms (default one day). */
  window_ms?: number;
  start?: number;
  end?: number;
  /** Reference period; default: the first window with labels. */
  reference?: { start: number; end: number };
  /** Relative tolerance against the reference (default 0.2 classification, 0.1 regression). */
  tolerance?: number;
  prediction_field?: string;
  probability_field?: string;
}

export interface QualityWindow {
  start: number;
  end: number;
  predictions: number;
  labelled: number;
  metrics: Record<string, number>;
  /** Metrics outside reference ± tolerance, in the bad direction. */
  degraded: string[];
}

export interface QualityReport {
  deployment: string;
  task: 'classification' | 'regression';
  tolerance: number;
  reference: { start: number; end: number; labelled: number; metrics: Record<string, number> };
  windows: QualityWindow[];
  /** Any window degraded. */
  degradation_detected: boolean;
}

/** One stage of a pipeline execution. */
export interface StageRunResult {
  stage: string;
  /** ran: executed; skipped: unchanged since the lock; restored: outputs from the run cache. */
  status: 'ran' | 'skipped' | 'restored' | 'failed';
  key: string;
  seconds: number;
  metrics: Record<string, number>;
  run_id?: string;
  exit_code?: number;
}

export interface GateResult {
  gate: string;
  passed: boolean;
  detail: string;
}

export interface PipelineRunResult {
  status: 'succeeded' | 'failed' | 'gate_failed';
  run_id?: string;
  stages: StageRunResult[];
  metrics: Record<string, number>;
  gates: GateResult[];
  promoted?: { model: string; version: string; alias: string };
}

/** A monitor as the backend runs it (from cairn.yaml `monitors:` and `retrain:`). */
export interface MonitorStatus {
  name: string;
  deployment: string;
  reference: string;
  window_ms: number;
  every_ms: number;
  drift_share: number;
  method?: string;
  actions: ('notify' | 'retrain')[];
  last_check?: number;
  /** ok | drift | error | waiting (no traffic yet) */
  state: 'ok' | 'drift' | 'error' | 'waiting' | 'new';
  last_report?: string;
  last_error?: string;
}

/** One automated step, in order (`GET /api/cairn/v1/audit`). */
export interface AuditEntry {
  time: number;
  kind: 'monitor.check' | 'monitor.drift' | 'monitor.error' | 'notify' | 'retrain.requested' | 'retrain.started' | 'retrain.finished' | 'monitors.synced';
  monitor?: string;
  trigger?: string;
  detail: Record<string, unknown>;
}
