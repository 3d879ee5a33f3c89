/**
 * How a tracked run records its context: tag keys and artifact paths written by `cairn run` and
 * read by the extension (run detail, diff views), `cairn reproduce`, the registry and pipelines.
 * One place, so every reader and writer agrees.
 */
export const RUN_TAGS = {
  // MLflow's own system tags (the MLflow UI and clients understand these).
  runName: 'mlflow.runName',
  user: 'mlflow.user',
  sourceName: 'mlflow.source.name',
  sourceType: 'mlflow.source.type',
  gitCommit: 'mlflow.source.git.commit',
  gitBranch: 'mlflow.source.git.branch',
  gitRepoUrl: 'mlflow.source.git.repoURL',
  note: 'mlflow.note.content',
  parentRunId: 'mlflow.parentRunId',
  // Cairn's.
  /** JSON array: the argv of the tracked command. */
  command: 'cairn.command',
  /** The working directory, relative to the workspace root (`.` for the root). */
  cwd: 'cairn.cwd',
  /** Absolute path of the workspace root on the machine that ran it. */
  workspace: 'cairn.workspace',
  exitCode: 'cairn.exit_code',
  host: 'cairn.host',
  /** 'true' when the run started with uncommitted changes (recorded in the code diff artifact). */
  gitDirty: 'cairn.git.dirty',
  /** JSON array of {path, flavor} for model files found among the outputs. */
  modelCandidates: 'cairn.model.candidates',
  /** The run this one re-ran (`cairn reproduce`). */
  reproducedFrom: 'cairn.reproduced_from',
  starred: 'cairn.starred',
  /** Which launcher recorded the run: `cairn-run`, `sdk-python`, `sdk-js`, `pipeline`. */
  launcher: 'cairn.launcher',
  /** The workspace's folder relative to the git root (`.` usually): where to `cd` after applying the diff. */
  gitSubdir: 'cairn.git.subdir',
  /** JSON array of untracked files left out of the code diff (binary or over the size limit). */
  gitUntrackedSkipped: 'cairn.git.untracked_skipped',
  /** JSON array of output files not uploaded (over the size limit). */
  outputsSkipped: 'cairn.outputs.skipped',
} as const;

/** Artifact paths (relative to the run's artifact root) written by `cairn run`. */
export const RUN_ARTIFACTS = {
  /** `git diff --binary HEAD` plus untracked text files: apply to the commit to restore the code. */
  codeDiff: 'cairn/code.diff',
  /** Combined stdout+stderr as the terminal showed it. */
  log: 'cairn/output.log',
  /** Interpreter/runtime versions, lock-file hashes, host: see EnvironmentFingerprint. */
  environment: 'cairn/environment.json',
  pipFreeze: 'cairn/pip-freeze.txt',
  /** Files the run created or changed are logged under this folder, keeping their relative paths. */
  outputsDir: 'outputs',
} as const;

export interface EnvironmentFingerprint {
  platform: string;
  arch: string;
  hostname: string;
  user: string;
  node?: string;
  python?: string;
  /** Lock and requirements files (package-lock.json, requirements.txt, poetry.lock …) → sha256. */
  lockFiles: Record<string, string>;
  /** Variables whose names suggest configuration (CUDA_*, PYTHONHASHSEED, OMP_NUM_THREADS …). */
  env: Record<string, string>;
}

/** What kind of model a file or folder holds (`cairn.model.candidates`, SDK `log_model`). */
export type ModelFlavor = 'tfjs' | 'tensorflow' | 'keras' | 'onnx' | 'sklearn' | 'pickle' | 'pytorch' | (string & {});

/** One entry of the `cairn.model.candidates` tag: an artifact path (file or folder) and its flavor. */
export interface ModelCandidate {
  path: string;
  flavor: ModelFlavor;
}
