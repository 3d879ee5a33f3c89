import * as fs from 'node:fs';
import * as path from 'node:path';
import { CairnError } from '../core/errors';
import { withDataLock } from './data-lock';
import { pointerBlobsInHistory, readBlobs } from './git';
import { hasManifest, loadManifest } from './manifest';
import { readOwned, rewriteOwned } from './owned-objects';
import { dataPathOf, parsePointer, POINTER_EXT, readPointer } from './pointer';
import { listPointers } from './tracked';
import type { DataWorkspace } from './workspace';

export interface GcOptions {
  /** Keep only what the working tree's pointers need (default: also every version in git history). */
  workspaceOnly?: boolean;
  dryRun?: boolean;
  /** Delete even when some kept folder's manifest is missing (its files cannot be told apart). */
  force?: boolean;
  /** Which of these objects the backend still references (artifacts, registered dataset versions, run inputs). */
  inUse?: (hashes: string[]) => Promise<Set<string>>;
}

export interface GcReport {
  /** Objects data versioning wrote that are still needed. */
  kept: number;
  removed: number;
  bytes: number;
  /** Stale temp files of interrupted writes, removed. */
  tempFiles: number;
}

const STALE_TMP_MS = 24 * 3600_000;

/**
 * `cairn data gc`: deletes objects that data versioning wrote and nothing needs any more — not the
 * working tree's pointers, not any pointer in git history (unless `workspaceOnly`), and not the
 * backend (`inUse`). Artifacts and models that share the store are never candidates.
 */
export async function gcData(ws: DataWorkspace, opts: GcOptions = {}): Promise<GcReport> {
  return withDataLock(ws, 'gc', async () => {
    const owned = readOwned(ws);
    const keep = new Set<string>();
    const missingManifests: string[] = [];
    const keepVersion = (hash: string, kind: 'file' | 'dir', where: string) => {
      keep.add(hash);
      if (kind === 'file') return;
      if (!hasManifest(ws, hash)) return void missingManifests.push(where);
      for (const e of loadManifest(ws, hash, where).files) keep.add(e.hash);
    };
    for (const p of await listPointers(ws)) {
      const ptr = readPointer(ws, p);
      keepVersion(ptr.hash, ptr.kind, dataPathOf(p));
    }
    if (!opts.workspaceOnly && ws.git) {
      const blobs = await readBlobs(ws.root, await pointerBlobsInHistory(ws.root, POINTER_EXT));
      for (const b of blobs) {
        if (!b) continue;
        try {
          const ptr = parsePointer(b.toString('utf8'), 'a pointer in git history');
          keepVersion(ptr.hash, ptr.kind, `a version in git history (${ptr.hash.slice(0, 12)}…)`);
        } catch {
          // not a pointer file after all (another *.cairn file): nothing to keep
        }
      }
    }
    if (missingManifests.length && !opts.force) {
      throw new CairnError('INVALID_STATE', `Cannot tell which objects ${missingManifests.slice(0, 3).join(', ')} need${missingManifests.length > 3 ? ` (and ${missingManifests.length - 3} more)` : ''}: their manifests are not in the local store. Run 'cairn data pull' first, or pass --force.`);
    }
    let candidates = [...owned.keys()].filter((h) => !keep.has(h) && fs.existsSync(ws.objects.pathOf(h)));
    if (opts.inUse && candidates.length) {
      const used = await opts.inUse(candidates);
      for (const h of used) if (owned.get(h) === 'manifest') for (const e of loadManifest(ws, h, `manifest ${h.slice(0, 12)}…`).files) used.add(e.hash);
      candidates = candidates.filter((h) => !used.has(h));
    }
    let bytes = 0;
    for (const h of candidates) {
      const file = ws.objects.pathOf(h);
      bytes += fs.statSync(file).size;
      if (!opts.dryRun) {
        fs.rmSync(file, { force: true });
        owned.delete(h);
      }
    }
    const tempFiles = opts.dryRun ? 0 : sweepTemp(ws);
    if (!opts.dryRun) {
      for (const h of [...owned.keys()]) if (!fs.existsSync(ws.objects.pathOf(h))) owned.delete(h);
      rewriteOwned(ws, owned);
    }
    return { kept: owned.size - (opts.dryRun ? candidates.length : 0), removed: candidates.length, bytes, tempFiles };
  });
}

function sweepTemp(ws: DataWorkspace): number {
  const dir = path.join(ws.objects.root, 'tmp');
  let n = 0;
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const file = path.join(dir, name);
    if (Date.now() - fs.statSync(file).mtimeMs > STALE_TMP_MS) {
      fs.rmSync(file, { force: true });
      n++;
    }
  }
  return n;
}
