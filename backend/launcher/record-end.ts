import * as path from 'node:path';
import type { RunStatus } from '../api/mlflow';
import { RUN_ARTIFACTS, RUN_TAGS, type ModelCandidate } from '../api/run-record';
import type { ChildOutcome } from './child-process';
import { findModelCandidates } from './model-candidates';
import { changedFiles, snapshot, type Snapshot, type WatchSpec } from './output-scanner';
import { jsonListTag } from './run-context';
import type { RunRecorder } from './run-recorder';

const MAX_OUTPUT_FILES = 10_000;

/** The `cairn.model.candidates` value: as many candidates as fit a tag. */
function candidatesTag(candidates: ModelCandidate[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const list = [...candidates];
  let text = JSON.stringify(list);
  while (text.length > 8000 && list.length > 1) {
    list.pop();
    text = JSON.stringify(list);
  }
  return text;
}

export interface RecordEndArgs {
  watch: WatchSpec;
  before: Snapshot;
  workspace: string;
  recorder: RunRecorder;
  outcome: ChildOutcome;
  status: RunStatus;
  logPath: string;
  log: (msg: string) => void;
  /** Candidates the command logged itself (SDK `log_model`): kept beside those found in its outputs. */
  loggedCandidates: ModelCandidate[];
  maxOutputBytes: number;
}

/**
 * The end of a run's record, queued in this order: new and changed files under the watched
 * folders as `outputs/…` (model files among them become candidates), the log, the exit code and
 * candidate tags, then the final status — so a finished run already holds everything.
 */
export function recordEnd(f: RecordEndArgs): void {
  const maxBytes = f.maxOutputBytes;
  const after = snapshot(f.watch);
  const changed = changedFiles(f.before, after).filter((rel) => !rel.startsWith('..') && !rel.includes('\\'));
  const uploaded: string[] = [];
  const skipped: string[] = [];
  for (const rel of changed) {
    if (uploaded.length >= MAX_OUTPUT_FILES || after.get(rel)!.size > maxBytes) skipped.push(rel);
    else {
      f.recorder.artifactFile(`${RUN_ARTIFACTS.outputsDir}/${rel}`, path.join(f.workspace, rel));
      uploaded.push(rel);
    }
  }
  if (skipped.length) f.log(`${skipped.length} output file(s) not uploaded (over ${maxBytes} bytes or ${MAX_OUTPUT_FILES} files): ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''}`);
  const found = findModelCandidates(uploaded, f.workspace, `${RUN_ARTIFACTS.outputsDir}/`);
  const candidates = [...f.loggedCandidates.filter((c) => !found.some((x) => x.path === c.path)), ...found];
  if (uploaded.length) f.log(`logged ${uploaded.length} output file(s)${found.length ? `; model candidates: ${found.map((c) => `${c.path} (${c.flavor})`).join(', ')}` : ''}`);
  f.recorder.artifactFile(RUN_ARTIFACTS.log, f.logPath);
  f.recorder.tags({
    [RUN_TAGS.exitCode]: String(f.outcome.exitCode),
    [RUN_TAGS.modelCandidates]: candidatesTag(candidates),
    [RUN_TAGS.outputsSkipped]: skipped.length ? jsonListTag(skipped) : undefined,
  });
  f.recorder.finish(f.status);
}
