import type { KeyValue } from '../api/mlflow';

/** A command to run as a new tracked run. */
export interface LaunchRequest {
  /** Root of the worktree the command runs in. */
  workspace: string;
  /** Absolute working directory. */
  cwd: string;
  argv: string[];
  experimentId: string;
  runName: string;
  /** Extra tags, e.g. `cairn.reproduced_from`. */
  tags: KeyValue[];
}

export interface RunLauncher {
  launch(req: LaunchRequest): Promise<{ runId: string; exitCode: number }>;
}
