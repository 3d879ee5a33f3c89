import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ManifestEntry } from '../api/data';
import { CairnError } from '../core/errors';
import { copyHashing } from '../store/fs/fs-object-writer';
import { loadManifest } from './manifest';
import type { StatCache } from './stat-cache';
import { scanData, type ScannedData } from './scan';
import { pruneEmptyDirs } from './walk';
import type { DataWorkspace } from './workspace';

/** What a pointer (or a run's recorded input) says a data path holds. */
export interface DataVersionRef {
  kind: 'file' | 'dir';
  hash: string;
}

export interface MaterializeOptions {
  /** Read-only hard links to the store's objects instead of copies. */
  link?: boolean;
  /** Overwrite or delete files whose current content is not in the store (it would be lost). */
  force?: boolean;
}

/** The changes that restoring one data path needs, worked out before anything is touched. */
export interface MaterializePlan {
  path: string;
  abs: string;
  ref: DataVersionRef;
  /** Files to write: `rel` inside the data path ('' for a file) and the object to write there. */
  writes: { rel: string; hash: string; size: number }[];
  /** Files to delete inside a folder (not in its manifest). */
  deletes: string[];
  /** Paths whose current content is not in the store and would be lost. */
  conflicts: string[];
  /** Objects the store lacks. */
  missingObjects: string[];
  /** A file where a folder should be or the reverse: removed whole. */
  replaceWhole: boolean;
}

const hasObject = (ws: DataWorkspace, hash: string) => fs.existsSync(ws.objects.pathOf(hash));

/** Compares what is on disk at `dataRel` with `ref` and lists what restoring it would do. */
export async function planMaterialize(ws: DataWorkspace, dataRel: string, abs: string, ref: DataVersionRef, cache: StatCache): Promise<MaterializePlan> {
  const plan: MaterializePlan = { path: dataRel, abs, ref, writes: [], deletes: [], conflicts: [], missingObjects: [], replaceWhole: false };
  const now = await scanData(abs, dataRel, cache);
  if (now.exists && now.kind !== ref.kind) {
    plan.replaceWhole = true;
    for (const { rel, hash } of filesOf(now)) if (!hasObject(ws, hash)) plan.conflicts.push(join(dataRel, rel));
  }
  const current = now.exists && now.kind === ref.kind ? now : undefined;
  if (ref.kind === 'file') {
    if (current?.hash === ref.hash) return plan;
    if (current && !hasObject(ws, current.hash)) plan.conflicts.push(dataRel);
    if (!hasObject(ws, ref.hash)) plan.missingObjects.push(ref.hash);
    plan.writes.push({ rel: '', hash: ref.hash, size: fs.existsSync(ws.objects.pathOf(ref.hash)) ? fs.statSync(ws.objects.pathOf(ref.hash)).size : 0 });
    return plan;
  }
  if (!hasObject(ws, ref.hash)) {
    plan.missingObjects.push(ref.hash);
    return plan;
  }
  if (current?.hash === ref.hash) return plan;
  const wanted = loadManifest(ws, ref.hash, dataRel).files;
  const have = new Map((current && current.kind === 'dir' ? current.entries : []).map((e) => [e.path, e]));
  for (const e of wanted) {
    const old = have.get(e.path);
    have.delete(e.path);
    if (old?.hash === e.hash) continue;
    if (old && !hasObject(ws, old.hash)) plan.conflicts.push(join(dataRel, e.path));
    if (!hasObject(ws, e.hash)) plan.missingObjects.push(e.hash);
    plan.writes.push({ rel: e.path, hash: e.hash, size: e.size });
  }
  for (const old of have.values()) {
    if (!hasObject(ws, old.hash)) plan.conflicts.push(join(dataRel, old.path));
    plan.deletes.push(old.path);
  }
  return plan;
}

/** Carries out a plan: deletes, then writes each file from its object (verifying its hash), atomically per file. */
export async function applyPlan(ws: DataWorkspace, plan: MaterializePlan, cache: StatCache, opts: MaterializeOptions, onFile?: (bytes: number) => void): Promise<void> {
  if (plan.missingObjects.length) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `${plan.missingObjects.length} object(s) of ${plan.path} are not in the local store; run 'cairn data pull ${plan.path}'.`);
  if (plan.conflicts.length && !opts.force) throw conflictError(plan.conflicts);
  if (plan.replaceWhole) fs.rmSync(plan.abs, { recursive: true, force: true });
  for (const rel of plan.deletes) fs.rmSync(path.join(plan.abs, ...rel.split('/')), { force: true });
  const madeDirs = new Set<string>();
  let linkable = opts.link === true;
  for (const w of plan.writes) {
    const target = w.rel === '' ? plan.abs : path.join(plan.abs, ...w.rel.split('/'));
    const dir = path.dirname(target);
    if (!madeDirs.has(dir)) {
      makeDirFor(dir, plan.abs);
      madeDirs.add(dir);
    }
    if (linkable) linkable = await linkObject(ws, w.hash, target);
    if (!linkable) await copyObject(ws, w.hash, target);
    cache.recordOwnWrite(fs.statSync(target), w.hash);
    onFile?.(w.size);
  }
  if (plan.ref.kind === 'dir') {
    fs.mkdirSync(plan.abs, { recursive: true });
    if (plan.deletes.length) pruneEmptyDirs(plan.abs);
  }
}

export function conflictError(paths: string[]): CairnError {
  const list = paths.slice(0, 10).join(', ') + (paths.length > 10 ? ` and ${paths.length - 10} more` : '');
  return new CairnError('RESOURCE_CONFLICT', `Restoring would overwrite or delete changes that are not saved anywhere: ${list}. Add them first ('cairn data add'), or pass --force to discard them.`);
}

/** Creates `dir`, replacing any file that stands where a folder of the data must be. */
function makeDirFor(dir: string, root: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST' && (err as NodeJS.ErrnoException).code !== 'ENOTDIR') throw err;
    for (let p = dir; p.length >= root.length; p = path.dirname(p)) {
      if (fs.existsSync(p) && !fs.statSync(p).isDirectory()) {
        fs.rmSync(p, { force: true });
        break;
      }
    }
    fs.mkdirSync(dir, { recursive: true });
  }
}

/** Objects below this size are copied with one read and one write. */
const SMALL_OBJECT = 1 << 20;

/** Copies an object to `target` through a temp file beside it, checking the bytes against the hash. */
async function copyObject(ws: DataWorkspace, hash: string, target: string): Promise<void> {
  const tmp = `${target}.cairn-tmp-${process.pid}`;
  const obj = ws.objects.pathOf(hash);
  if (fs.statSync(obj).size < SMALL_OBJECT) {
    const data = fs.readFileSync(obj);
    if (createHash('sha256').update(data).digest('hex') !== hash) throw corrupt(hash);
    try {
      fs.writeFileSync(tmp, data);
      if (fs.existsSync(target) && fs.lstatSync(target).isDirectory()) fs.rmSync(target, { recursive: true });
      fs.renameSync(tmp, target);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    return;
  }
  const input = await fs.promises.open(obj, 'r');
  try {
    const out = await fs.promises.open(tmp, 'w');
    let actual: string;
    try {
      actual = (await copyHashing(input, out)).hash;
    } finally {
      await out.close();
    }
    if (actual !== hash) throw corrupt(hash);
    if (fs.existsSync(target) && fs.lstatSync(target).isDirectory()) fs.rmSync(target, { recursive: true });
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  } finally {
    await input.close();
  }
}

/** Hard-links a (verified, read-only) object to `target`; false when links are impossible here (another file system). */
async function linkObject(ws: DataWorkspace, hash: string, target: string): Promise<boolean> {
  const obj = ws.objects.pathOf(hash);
  const fh = await fs.promises.open(obj, 'r');
  try {
    if ((await copyHashing(fh, undefined)).hash !== hash) throw corrupt(hash);
  } finally {
    await fh.close();
  }
  // Read-only, so an editor cannot change the store's copy through the link.
  if ((fs.statSync(obj).mode & 0o222) !== 0) fs.chmodSync(obj, 0o444);
  const tmp = `${target}.cairn-tmp-${process.pid}`;
  try {
    fs.linkSync(obj, tmp);
  } catch (err) {
    if (['EXDEV', 'EPERM', 'EMLINK'].includes((err as NodeJS.ErrnoException).code ?? '')) return false;
    throw err;
  }
  fs.renameSync(tmp, target);
  return true;
}

const corrupt = (hash: string) => new CairnError('INVALID_STATE', `Object ${hash.slice(0, 12)}… is corrupt in the local store (its bytes no longer match its hash); run 'cairn data verify' and 'cairn data pull'.`);

function filesOf(s: ScannedData): { rel: string; hash: string }[] {
  if (!s.exists) return [];
  if (s.kind === 'file') return [{ rel: '', hash: s.hash }];
  return s.entries.map((e: ManifestEntry) => ({ rel: e.path, hash: e.hash }));
}

const join = (a: string, b: string) => (b === '' ? a : `${a}/${b}`);
