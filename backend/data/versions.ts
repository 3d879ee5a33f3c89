import type { DataPointer } from '../api/data';
import { CairnError } from '../core/errors';
import { lsTree, readBlobs, resolveCommit } from './git';
import { parsePointer, POINTER_EXT, readPointer } from './pointer';
import { listPointers, selectPointers } from './tracked';
import type { DataWorkspace } from './workspace';

/** A tracked path's pointer, as the working tree or a git revision has it. */
export interface TrackedVersion {
  pointer: string;
  data: DataPointer;
  /** At a revision: the pointer's bytes there (checkout writes them to the working tree). */
  text?: Buffer;
  /** At a revision: its commit. */
  commit?: string;
}

/** The pointers selected by workspace-relative paths (all when none), in the working tree or at `rev`. */
export async function trackedVersions(ws: DataWorkspace, rels: string[], rev?: string): Promise<TrackedVersion[]> {
  if (rev === undefined) {
    const pointers = selectPointers(await listPointers(ws), rels);
    if (rels.length && pointers.length === 0) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `Nothing tracked at ${rels.join(', ')}.`);
    return pointers.map((pointer) => ({ pointer, data: readPointer(ws, pointer) }));
  }
  if (!ws.git) throw new CairnError('INVALID_STATE', '--rev needs a git repository.');
  const commit = await resolveCommit(ws.root, rev);
  const pointers = selectPointers(await lsTree(ws.root, commit, POINTER_EXT), rels);
  if (pointers.length === 0) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `Nothing ${rels.length ? `at ${rels.join(', ')} ` : ''}was tracked at ${rev}.`);
  const blobs = await readBlobs(ws.root, pointers.map((p) => `${commit}:${p}`));
  return pointers.map((pointer, i) => ({ pointer, data: parsePointer(blobs[i]!.toString('utf8'), `${pointer} at ${rev}`), text: blobs[i]!, commit }));
}
