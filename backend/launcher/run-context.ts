import * as os from 'node:os';
import * as path from 'node:path';
import { RUN_TAGS } from '../api/run-record';
import { parseCommandLine, type CommandLine } from './command-line';
import { captureGitState, type GitState } from './git-capture';
import { findParamsFile, readParamsFile } from './params-file';

export interface ContextOptions {
  argv: readonly string[];
  cwd: string;
  workspace: string;
  storeDir: string;
  /** `--param k=v`: win over everything else. */
  explicitParams: Map<string, string>;
  /** `--params-file F` (else params.yaml / params.json in the cwd or the workspace, if present). */
  paramsFile?: string;
  env: NodeJS.ProcessEnv;
}

/** What `cairn run` records before the command starts. */
export interface RunContext {
  command: CommandLine;
  params: Map<string, string>;
  paramsFile?: string;
  git?: GitState;
  tags: Record<string, string | undefined>;
}

const TAG_LIMIT = 8000;

/** A JSON array that fits a tag value: entries are dropped from the end (and `"…"` added) until it does. */
export function jsonListTag(items: unknown[], limit = TAG_LIMIT): string {
  let n = items.length;
  let text = JSON.stringify(items);
  while (text.length > limit && n > 0) text = JSON.stringify([...items.slice(0, --n), '…']);
  return text;
}

function safeUser(env: NodeJS.ProcessEnv): string {
  try {
    return os.userInfo().username;
  } catch {
    return env['USER'] ?? 'unknown';
  }
}

/** Params (params file < command line < `--param`), the git state, and the run's starting tags. */
export async function captureContext(opts: ContextOptions): Promise<RunContext> {
  const command = parseCommandLine(opts.argv);
  const paramsFile = opts.paramsFile ? path.resolve(opts.cwd, opts.paramsFile) : findParamsFile([...new Set([opts.cwd, opts.workspace])]);
  const params = new Map<string, string>([...(paramsFile ? readParamsFile(paramsFile) : []), ...command.params, ...opts.explicitParams]);
  const git = await captureGitState(opts.workspace, { excludeDirs: [opts.storeDir] }).catch(() => undefined);
  const rel = path.relative(opts.workspace, opts.cwd).split(path.sep).join('/') || '.';
  const parent = opts.env['CAIRN_RUN_ID'];
  const tags: Record<string, string | undefined> = {
    [RUN_TAGS.user]: safeUser(opts.env),
    [RUN_TAGS.sourceName]: command.source,
    [RUN_TAGS.sourceType]: 'LOCAL',
    [RUN_TAGS.command]: JSON.stringify(opts.argv),
    [RUN_TAGS.cwd]: rel,
    [RUN_TAGS.workspace]: opts.workspace,
    [RUN_TAGS.host]: os.hostname(),
    [RUN_TAGS.launcher]: 'cairn-run',
    [RUN_TAGS.parentRunId]: parent || undefined,
  };
  if (git) {
    Object.assign(tags, {
      [RUN_TAGS.gitCommit]: git.commit,
      [RUN_TAGS.gitBranch]: git.branch,
      [RUN_TAGS.gitRepoUrl]: git.remoteUrl,
      [RUN_TAGS.gitDirty]: String(git.diff.length > 0),
      [RUN_TAGS.gitSubdir]: git.subdir,
      [RUN_TAGS.gitUntrackedSkipped]: git.skipped.length > 0 ? jsonListTag(git.skipped) : undefined,
    });
  }
  return { command, params, paramsFile, git, tags };
}
