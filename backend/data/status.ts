import * as fs from 'node:fs';
import type { DataPointer, DataStatusEntry, DataStatusReport } from '../api/data';
import { FolderIndex } from './folder-index';
import { hasManifest, loadManifest } from './manifest';
import { dataPathOf, readPointer } from './pointer';
import type { ProgressFn } from './progress';
import { compareEntries, scanData } from './scan';
import { StatCache } from './stat-cache';
import { listPointers, selectPointers } from './tracked';
import { absPath, relPath, type DataWorkspace } from './workspace';

export interface StatusOptions {
  onProgress?: ProgressFn;
  cwd?: string;
}

/** `cairn data status`: each tracked path compared with its pointer (clean, modified, missing). */
export async function dataStatus(ws: DataWorkspace, paths: string[] = [], opts: StatusOptions = {}): Promise<DataStatusReport> {
  const pointers = selectPointers(await listPointers(ws), paths.map((p) => relPath(ws, p, opts.cwd)));
  const cache = StatCache.load(ws.stateDir);
  const entries: DataStatusEntry[] = [];
  try {
    for (const pointer of pointers) entries.push(await statusOf(ws, pointer, readPointer(ws, pointer), cache, opts.onProgress));
  } finally {
    cache.save();
  }
  return { workspace: ws.root, entries };
}

export async function statusOf(ws: DataWorkspace, pointer: string, p: DataPointer, cache: StatCache, onProgress?: ProgressFn): Promise<DataStatusEntry> {
  const path = dataPathOf(pointer);
  const entry: DataStatusEntry = { path, pointer, kind: p.kind, state: 'clean', hash: p.hash, size: p.size, files: p.files, ...(p.tabular ? { rows: p.tabular.rows } : {}) };
  const inStore = p.kind === 'dir' ? hasManifest(ws, p.hash) : fs.existsSync(ws.objects.pathOf(p.hash));
  if (!inStore) entry.not_in_store = true;
  const abs = absPath(ws, path);
  if (p.kind === 'dir' && cache.trusted && FolderIndex.load(ws.stateDir, abs, p.hash)?.unchanged(abs)) return entry;
  const now = await scanData(abs, path, cache, onProgress);
  if (!now.exists) return { ...entry, state: 'missing' };
  if (now.kind !== p.kind) return { ...entry, state: 'modified' };
  if (now.hash === p.hash) {
    if (now.kind === 'dir') FolderIndex.save(ws.stateDir, abs, now.hash, now.entries.map((e) => e.path), now.stamps);
    return entry;
  }
  entry.state = 'modified';
  if (now.kind === 'dir' && inStore) {
    const diff = compareEntries(loadManifest(ws, p.hash, path).files, now.entries);
    entry.changed = diff.changed.map((c) => c.b.path);
    entry.untracked = diff.added.map((e) => e.path);
    entry.missing = diff.removed.map((e) => e.path);
  }
  return entry;
}
