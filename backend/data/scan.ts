import * as fs from 'node:fs';
import type { ManifestEntry } from '../api/data';
import { FileHasher } from './file-hasher';
import { FolderStamps } from './folder-index';
import { encodeManifest, manifestHash } from './manifest';
import { throttled, yieldToEventLoop, type ProgressFn } from './progress';
import type { StatCache } from './stat-cache';
import { walkFiles } from './walk';

/** What is on disk at a data path now, hashed the way a pointer would name it. */
export type ScannedData =
  | { exists: false }
  | { exists: true; kind: 'file'; hash: string; size: number; files: 1 }
  | { exists: true; kind: 'dir'; hash: string; size: number; files: number; entries: ManifestEntry[]; skipped: string[]; stamps: FolderStamps };

/** Hashes the data at `abs` (stat cache first, reading only files that changed), without storing anything. */
export async function scanData(abs: string, label: string, cache: StatCache, onProgress?: ProgressFn): Promise<ScannedData> {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(abs);
  } catch {
    return { exists: false };
  }
  const hasher = new FileHasher(cache);
  if (st.isFile()) {
    const f = await hasher.hash(abs);
    return { exists: true, kind: 'file', hash: f.hash, size: f.size, files: 1 };
  }
  if (!st.isDirectory()) return { exists: false };
  const startedAt = Date.now();
  const { files, skipped, dirs } = walkFiles(abs, { statDirs: true });
  const stamps = new FolderStamps(files.length, startedAt);
  stamps.dirs = dirs;
  const progress = throttled(onProgress);
  const entries: ManifestEntry[] = new Array(files.length);
  let size = 0;
  let lastYield = Date.now();
  for (let i = 0; i < files.length; i++) {
    const file = `${abs}/${files[i]}`;
    const k = hasher.known(file);
    const f = k instanceof fs.Stats ? await hasher.hash(file, k) : k;
    entries[i] = { path: files[i]!, hash: f.hash, size: f.size };
    stamps.set(i, f.st);
    size += f.size;
    if (Date.now() - lastYield > 50) {
      progress({ phase: `checking ${label}`, done: i + 1, total: files.length });
      await yieldToEventLoop();
      lastYield = Date.now();
    }
  }
  return { exists: true, kind: 'dir', hash: manifestHash(encodeManifest(entries)), size, files: files.length, entries, skipped, stamps };
}

/** Files of two listings that differ: in `now` only (added), in `was` only (removed), in both with other content (changed). */
export function compareEntries(was: ManifestEntry[], now: ManifestEntry[]): { added: ManifestEntry[]; removed: ManifestEntry[]; changed: { a: ManifestEntry; b: ManifestEntry }[] } {
  const before = new Map(was.map((e) => [e.path, e]));
  const added: ManifestEntry[] = [];
  const changed: { a: ManifestEntry; b: ManifestEntry }[] = [];
  for (const e of now) {
    const old = before.get(e.path);
    if (!old) added.push(e);
    else {
      if (old.hash !== e.hash) changed.push({ a: old, b: e });
      before.delete(e.path);
    }
  }
  return { added, removed: [...before.values()], changed };
}
