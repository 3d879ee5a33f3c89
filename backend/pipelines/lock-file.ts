// cairn.lock: what each stage last ran with (its key, dep hashes, params) and produced (out hashes).
// Committed next to cairn.yaml, like dvc.lock; written to a temp file and renamed.
import * as fs from 'node:fs';

export interface LockedStage {
  key: string;
  deps: Record<string, string | null>;
  params: Record<string, unknown>;
  outs: Record<string, string | null>;
}

export interface PipelineLock {
  stages: Record<string, LockedStage>;
}

export function readLock(file: string): PipelineLock {
  if (!fs.existsSync(file)) return { stages: {} };
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PipelineLock;
  } catch {
    return { stages: {} };
  }
}

export function writeLock(file: string, lock: PipelineLock): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(lock, null, 2) + '\n');
  fs.renameSync(tmp, file);
}
