// Where a pipeline execution is recorded: a parent run per execution and a child run per stage
// (`mlflow.parentRunId`), the champion's metrics for gates, and promotion in the registry.
import type { PromoteSpec } from './pipeline-spec';

export interface PipelineTracker {
  startPipeline(name: string, tags: Record<string, string>): Promise<string | undefined>;
  startStage(parentRunId: string | undefined, stage: string): Promise<string | undefined>;
  log(runId: string | undefined, data: { params?: Record<string, string>; metrics?: Record<string, number>; tags?: Record<string, string> }): Promise<void>;
  end(runId: string | undefined, status: 'FINISHED' | 'FAILED'): Promise<void>;
  /** The metric of the run behind `model@alias`, or undefined when there is no such version. */
  championMetric(model: string, alias: string, metric: string): Promise<number | undefined>;
  promote(runId: string, spec: PromoteSpec, workspace: string): Promise<{ model: string; version: string; alias: string }>;
}

/** Recording switched off (`cairn pipeline run --no-track`): caching still works, nothing is logged. */
export const untracked: PipelineTracker = {
  startPipeline: async () => undefined,
  startStage: async () => undefined,
  log: async () => undefined,
  end: async () => undefined,
  championMetric: async () => undefined,
  promote: async () => {
    throw new Error('promotion needs a tracking backend (run without --no-track)');
  },
};
