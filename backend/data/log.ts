import type { DataLogEntry } from '../api/data';
import { CairnError } from '../core/errors';
import { logOf, readBlobs } from './git';
import { dataPathOf, isPointerPath, parsePointer, pointerPathOf } from './pointer';
import { relPath, type DataWorkspace } from './workspace';

/** `cairn data log PATH`: the versions of tracked data in git history, newest first. */
export async function dataLog(ws: DataWorkspace, pathArg: string, opts: { cwd?: string; max?: number } = {}): Promise<DataLogEntry[]> {
  if (!ws.git) throw new CairnError('INVALID_STATE', 'data history needs a git repository.');
  const given = relPath(ws, pathArg, opts.cwd);
  const pointer = pointerPathOf(isPointerPath(given) ? dataPathOf(given) : given);
  const commits = await logOf(ws.root, pointer, opts.max ?? 200);
  const blobs = await readBlobs(ws.root, commits.map((c) => `${c.commit}:${pointer}`));
  const out: DataLogEntry[] = [];
  commits.forEach((c, i) => {
    const blob = blobs[i];
    if (!blob) return; // the commit deleted the pointer
    try {
      out.push({ ...c, pointer: parsePointer(blob.toString('utf8'), `${pointer} at ${c.commit.slice(0, 8)}`) });
    } catch {
      // a malformed historical pointer is skipped, not fatal for the listing
    }
  });
  return out;
}
