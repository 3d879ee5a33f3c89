// Wire types of the pipeline status endpoint (`GET /api/cairn/v1/pipelines/status`).
import type { RunStatus } from './mlflow';

/**
 * What a stage looks like now: `running`/`pending`/`failed` come from the last execution (its
 * child runs); otherwise `changed` or `up_to_date` from cairn.lock against the workspace.
 */
export type StageState = 'running' | 'pending' | 'failed' | 'changed' | 'up_to_date';

/** A stage's child run in the last execution. */
export interface StageExecution {
  run_id: string;
  status: RunStatus;
  /** `ran`, `skipped`, `restored` or `failed` (the `cairn.stage.status` tag, set when it ended). */
  outcome?: string;
  start_time: number;
  end_time?: number;
  metrics: Record<string, number>;
}

export interface StageStatus {
  name: string;
  cmd: string;
  deps: string[];
  params: string[];
  outs: string[];
  metrics: string[];
  /** Stages whose outs this stage depends on (the DAG's edges). */
  upstream: string[];
  state: StageState;
  /** Why it is not up to date (`dependency changed: data.csv`, `never ran` …). */
  reason?: string;
  last?: StageExecution;
}

export interface PipelineExecution {
  run_id: string;
  status: RunStatus;
  /** `succeeded`, `failed` or `gate_failed` (the `cairn.pipeline.status` tag). */
  outcome?: string;
  /** `manual`, `drift`, `schedule`, `data:<path>`, `api` … */
  trigger?: string;
  start_time: number;
  end_time?: number;
}

export interface PipelineStatusResponse {
  /** The workspace-relative pipeline file. */
  file: string;
  /** The experiment holding pipeline runs, once one exists (clients refresh on its run events). */
  experiment_id?: string;
  /** In execution order (each stage after its upstream stages). */
  stages: StageStatus[];
  /** One line per gate (`accuracy >= 0.8`, `accuracy higher than weather@champion`). */
  gates: string[];
  promote?: { model: string; alias: string };
  last_execution?: PipelineExecution;
}
