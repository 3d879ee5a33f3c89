import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataStatusEntry } from '../api/data';
import { copyHashing } from '../store/fs/fs-object-writer';
import { readPointer, dataPathOf } from './pointer';
import { throttled, type ProgressFn } from './progress';
import { neededObjects } from './referenced';
import { StatCache } from './stat-cache';
import { statusOf } from './status';
import { listPointers, selectPointers } from './tracked';
import { relPath, type DataWorkspace } from './workspace';

export interface VerifyOptions {
  /** Every object in the store (artifacts and models too), not only those tracked data needs. */
  all?: boolean;
  /** Also re-read the data in the workspace, ignoring the stat cache. */
  workspace?: boolean;
  cwd?: string;
  onProgress?: ProgressFn;
}

export interface VerifyReport {
  checked: number;
  bytes: number;
  /** Objects whose bytes no longer match their name; moved to `objects/corrupt/`. */
  corrupt: { hash: string; paths: string[]; quarantined: string }[];
  /** Objects tracked data needs that the store lacks. */
  missing: { hash: string; paths: string[] }[];
  /** With `workspace`: tracked paths whose data differs from its pointer. */
  workspace?: DataStatusEntry[];
}

/** `cairn data verify`: re-hashes objects (and optionally the workspace) and reports corruption. */
export async function verifyData(ws: DataWorkspace, paths: string[] = [], opts: VerifyOptions = {}): Promise<VerifyReport> {
  const pointers = selectPointers(await listPointers(ws), paths.map((p) => relPath(ws, p, opts.cwd)));
  const versions = pointers.map((p) => {
    const ptr = readPointer(ws, p);
    return { path: dataPathOf(p), ref: ptr, size: ptr.kind === 'file' ? ptr.size : undefined };
  });
  const { objects } = neededObjects(ws, versions);
  const toCheck = new Map<string, string[]>();
  for (const o of objects.values()) toCheck.set(o.hash, o.paths);
  if (opts.all) for await (const o of ws.objects.list()) if (!toCheck.has(o.hash)) toCheck.set(o.hash, []);
  const report: VerifyReport = { checked: 0, bytes: 0, corrupt: [], missing: [] };
  const progress = throttled(opts.onProgress);
  let done = 0;
  for (const [hash, where] of toCheck) {
    const file = ws.objects.pathOf(hash);
    const actual = await hashOf(file);
    done++;
    progress({ phase: 'verifying objects', done, total: toCheck.size, bytes: report.bytes });
    if (actual === undefined) {
      report.missing.push({ hash, paths: where });
      continue;
    }
    report.checked++;
    report.bytes += actual.size;
    if (actual.hash !== hash) report.corrupt.push({ hash, paths: where, quarantined: quarantine(ws, hash, file) });
  }
  if (opts.workspace) {
    const cache = StatCache.ephemeral();
    report.workspace = [];
    for (const p of pointers) {
      const entry = await statusOf(ws, p, readPointer(ws, p), cache, opts.onProgress);
      if (entry.state !== 'clean') report.workspace.push(entry);
    }
  }
  return report;
}

async function hashOf(file: string): Promise<{ hash: string; size: number } | undefined> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await fh.stat();
    if (size < 1 << 20) return { hash: createHash('sha256').update(await fh.readFile()).digest('hex'), size };
    return await copyHashing(fh, undefined);
  } finally {
    await fh.close();
  }
}

/** Moves a corrupt object aside (keeping its bytes for inspection) so a pull or an add can store it again. */
function quarantine(ws: DataWorkspace, hash: string, file: string): string {
  const dir = path.join(ws.objects.root, 'corrupt');
  fs.mkdirSync(dir, { recursive: true });
  const dest = path.join(dir, `${hash}.${Date.now()}`);
  fs.renameSync(file, dest);
  return dest;
}
