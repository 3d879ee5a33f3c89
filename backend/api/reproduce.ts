/** What `cairn reproduce RUN --json` prints (and the extension's Reproduce Run shows). */
export interface ReproduceReport {
  original_run_id: string;
  new_run_id: string;
  /** The git worktree the run was re-run in (kept for inspection). */
  worktree: string;
  commit: string;
  exit_code: number;
  code: { identical: boolean; detail: string };
  data: { identical: boolean; datasets: DatasetComparison[] };
  params: { identical: boolean; differences: ValueDifference[] };
  metrics: { within_tolerance: boolean; tolerance: number; metrics: MetricComparison[] };
  /** Code, data and params identical, metrics within tolerance, and the command succeeded. */
  reproduced: boolean;
}

export interface DatasetComparison {
  path: string;
  hash_original: string;
  hash_reproduced?: string;
  identical: boolean;
  note?: string;
}

export interface ValueDifference {
  key: string;
  original?: string;
  reproduced?: string;
}

export interface MetricComparison {
  key: string;
  original?: number;
  reproduced?: number;
  /** `equal` (bit for bit), `within` the tolerance, `differs`, or `missing` on one side. */
  status: 'equal' | 'within' | 'differs' | 'missing';
}

/** Tag on the new run: `identical`, `within_tolerance` or `differs`. */
export const REPRODUCE_RESULT_TAG = 'cairn.reproduce.result';
