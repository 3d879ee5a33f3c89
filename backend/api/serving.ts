/**
 * Wire types of serving: deployments (`/api/cairn/v1/deployments…`), the prediction log, feedback,
 * and the Open Inference Protocol v2 bodies (`/v2/models/{deployment}/infer`). Imported type-only by
 * the extension and the webviews.
 */
import type { ModelSignature, TensorDatatype } from './registry';

/** Adaptive batching: requests queue up to `max_batch_size` rows or `max_delay_ms` of waiting. */
export interface BatchingConfig {
  enabled: boolean;
  max_batch_size: number;
  max_delay_ms: number;
  /** Requests waiting beyond this get 503 (back-pressure). */
  max_queue: number;
}

export interface DeploymentConfig {
  batching: BatchingConfig;
  /** Fraction of requests written to the prediction log (0–1). */
  log_sample_rate: number;
  /** Percentage of traffic sent to the canary version, when one is set. */
  canary_percent: number;
}

export type DeploymentState = 'loading' | 'ready' | 'restarting' | 'failed' | 'stopped';

export interface DeploymentRecord {
  name: string;
  model_name: string;
  /** Alias followed (`champion`), or undefined when pinned to `version`. */
  alias?: string;
  /** True while the deployment follows its alias (a rollback pins it). */
  follow: boolean;
  /** The version serving most traffic. */
  version: string;
  /** The version served before the last switch (target of `rollback`). */
  previous_version?: string;
  /** A version receiving `canary_percent` of traffic. */
  canary_version?: string;
  config: DeploymentConfig;
  created: number;
  updated: number;
}

/** One loaded version of a deployment. */
export interface VariantStatus {
  version: string;
  role: 'primary' | 'canary' | 'draining';
  state: DeploymentState;
  runtime: string;
  /** The worker's or model process's pid (a worker thread shares the backend's pid). */
  pid?: number;
  restarts: number;
  last_error?: string;
  in_flight: number;
  queued: number;
}

export interface DeploymentStats {
  requests: number;
  errors: number;
  /** Over the last 60 s. */
  req_per_s: number;
  p50_ms: number;
  p99_ms: number;
  mean_batch_size: number;
  log_dropped: number;
}

export interface DeploymentStatus extends DeploymentRecord {
  state: DeploymentState;
  variants: VariantStatus[];
  stats: DeploymentStats;
  signature?: ModelSignature;
  /** Where to call it, relative to the backend's URL. */
  endpoints: { oip: string; invocations: string };
}

/** `POST /api/cairn/v1/deployments` */
export interface CreateDeploymentRequest {
  /** `NAME@ALIAS`, `NAME/VERSION`, `models:/NAME@ALIAS` or `models:/NAME/VERSION`. */
  model: string;
  name?: string;
  config?: Partial<Omit<DeploymentConfig, 'batching'>> & { batching?: Partial<BatchingConfig> };
  canary_version?: string;
}

/** `PATCH /api/cairn/v1/deployments/{d}` */
export interface UpdateDeploymentRequest {
  config?: Partial<Omit<DeploymentConfig, 'batching'>> & { batching?: Partial<BatchingConfig> };
  /** Set (or with null clear) a canary version. */
  canary_version?: string | null;
}

/** One line of `<store>/predictions/<deployment>/predictions.jsonl` (append-only). */
export interface PredictionRecord {
  id: string;
  time: number;
  deployment: string;
  model: string;
  version: string;
  variant: 'primary' | 'canary';
  protocol: 'oip' | 'mlflow';
  /** One object per row: column (or input) name → value. */
  inputs: Record<string, unknown>[];
  outputs: Record<string, unknown>[];
  latency_ms: number;
  batch_size: number;
}

/** One line of `<store>/predictions/<deployment>/feedback.jsonl`. */
export interface FeedbackRecord {
  request_id: string;
  time: number;
  /** One label per row of that request (or a single value for a single-row request). */
  labels: unknown[];
}

/** `POST /api/cairn/v1/deployments/{d}/feedback` */
export interface FeedbackRequest {
  request_id: string;
  /** A label for a single-row request. */
  label?: unknown;
  /** One label per row. */
  labels?: unknown[];
}

/** Open Inference Protocol v2 tensors and bodies. */
export interface OipTensor {
  name: string;
  shape: number[];
  datatype: TensorDatatype;
  parameters?: Record<string, string | number | boolean>;
  data: unknown[];
}

export interface OipInferRequest {
  id?: string;
  parameters?: Record<string, string | number | boolean>;
  inputs: OipTensor[];
  outputs?: { name: string }[];
}

export interface OipInferResponse {
  model_name: string;
  model_version: string;
  id: string;
  outputs: OipTensor[];
}

export interface OipModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: { name: string; datatype: TensorDatatype; shape: number[] }[];
  outputs: { name: string; datatype: TensorDatatype; shape: number[] }[];
}

/** One deployment's traffic: `GET /api/cairn/v1/serving/stats` (what views poll; small, no signatures or config). */
export interface DeploymentTraffic {
  name: string;
  state: DeploymentState;
  version: string;
  stats: DeploymentStats;
}
