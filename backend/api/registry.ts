/**
 * Wire types of the registry beyond MLflow 2: MLflow 3 logged models (`/api/2.0/mlflow/logged-models…`)
 * and Cairn's model card, signature and promotion endpoints (`/api/cairn/v1/models/…`).
 * Imported type-only by the extension and the webviews.
 */
import type { DatasetInput, KeyValue, Metric, ModelVersion } from './mlflow';

export type LoggedModelStatus = 'LOGGED_MODEL_STATUS_UNSPECIFIED' | 'LOGGED_MODEL_PENDING' | 'LOGGED_MODEL_READY' | 'LOGGED_MODEL_UPLOAD_FAILED';
export const LOGGED_MODEL_STATUSES: readonly LoggedModelStatus[] = ['LOGGED_MODEL_STATUS_UNSPECIFIED', 'LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED'];

/** MLflow 3 `LoggedModel` = `{info, data}`. */
export interface LoggedModel {
  info: {
    model_id: string;
    experiment_id: string;
    name: string;
    creation_timestamp_ms: number;
    last_updated_timestamp_ms: number;
    artifact_uri: string;
    status: LoggedModelStatus;
    creator_id: string;
    model_type: string;
    source_run_id: string;
    status_message: string;
    tags: KeyValue[];
  };
  data: { params: KeyValue[]; metrics: Metric[] };
}

/** OIP datatypes (serving-protocols.md §1.4). */
export type TensorDatatype = 'BOOL' | 'UINT8' | 'UINT16' | 'UINT32' | 'UINT64' | 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FP16' | 'FP32' | 'FP64' | 'BYTES';

/** One input or output of a model: OIP metadata tensor, `-1` for variable dims (the batch is dim 0). */
export interface TensorSpec {
  name: string;
  datatype: TensorDatatype;
  shape: number[];
}

/**
 * A model's input/output signature. `columns` names the feature columns of a single 2-D input, in
 * order, so table payloads (`dataframe_split`, CSV, …) map onto it; `labels` names the classes of a
 * classifier's probability output.
 */
export interface ModelSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  columns?: string[];
  labels?: string[];
  /** Where it came from: the model files, a sample, or an MLflow MLmodel file. */
  source: 'model' | 'sample' | 'mlmodel';
}

/** The lineage and summary of one registered version: `GET /api/cairn/v1/models/{name}/versions/{v}/card`. */
export interface ModelCard {
  name: string;
  version: ModelVersion;
  description: string;
  aliases: string[];
  /** Runtime that serves it (`tfjs-layers`, `tfjs-graph`, `process`, `sklearn`), when known. */
  flavor?: string;
  run?: {
    run_id: string;
    run_name: string;
    experiment_id: string;
    status: string;
    start_time: number;
    end_time?: number;
    user_id: string;
    git_commit?: string;
    git_branch?: string;
    git_repo?: string;
    git_dirty?: boolean;
    command?: string;
  };
  metrics: Metric[];
  params: KeyValue[];
  datasets: DatasetInput[];
  logged_model_id?: string;
  signature?: ModelSignature;
  /** Files of the model folder (relative paths and sizes). */
  files: { path: string; size: number }[];
}

/** `POST /api/cairn/v1/models/{name}/versions/{v}/signature` */
export interface InferSignatureRequest {
  /** Rows as objects (`dataframe_records`) or `{columns, data}` (`dataframe_split`). */
  sample: Record<string, unknown>[] | { columns: string[]; data: unknown[][] };
  labels?: string[];
}

/** `POST /api/cairn/v1/models/{name}/versions/{v}/promote` */
export interface PromoteRequest {
  alias: string;
  /** Gates in the run-search grammar, all must hold: `metrics.accuracy >= 0.9`. */
  require?: string[];
  /** Compare against the version that holds this alias now: the candidate must not be worse. */
  against?: string;
}

export interface GateCheck {
  gate: string;
  passed: boolean;
  /** Human-readable reason: `metrics.accuracy = 0.87, required >= 0.9`. */
  detail: string;
}

export interface PromoteResponse {
  promoted: boolean;
  name: string;
  version: string;
  alias: string;
  /** The version that held the alias before (if any). */
  previous_version?: string;
  checks: GateCheck[];
  /** Why it was refused (the failed checks, joined), when `promoted` is false. */
  reason?: string;
}
