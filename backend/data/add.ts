import * as fs from 'node:fs';
import type { DataPointer, ManifestEntry, TabularSummary } from '../api/data';
import { CairnError, invalidParam } from '../core/errors';
import { FsObjectWriter } from '../store/fs/fs-object-writer';
import { withDataLock } from './data-lock';
import { FileHasher } from './file-hasher';
import { FolderIndex, FolderStamps } from './folder-index';
import { lsFiles } from './git';
import { ensureIgnored } from './gitignore';
import { encodeManifest } from './manifest';
import { recordOwned } from './owned-objects';
import { dataPathOf, isPointerPath, pointerPathOf, readPointer, writePointer } from './pointer';
import { throttled, yieldToEventLoop, type ProgressFn } from './progress';
import { StatCache } from './stat-cache';
import { profileTable } from './tabular/profile';
import { tabularFormatOf } from './tabular/format';
import { listPointers } from './tracked';
import { walkFiles } from './walk';
import { absPath, relPath, type DataWorkspace } from './workspace';

export interface AddOptions {
  /** Compute schema and statistics of CSV/TSV/JSONL/Parquet files (default true). */
  profile?: boolean;
  onProgress?: ProgressFn;
  /** Resolve relative paths from here (default: the process's cwd). */
  cwd?: string;
}

export interface AddResult {
  path: string;
  pointer: string;
  pointerData: DataPointer;
  /** False when the pointer already named exactly this content. */
  changed: boolean;
  /** Files read and hashed (the rest were known unchanged from the stat cache). */
  hashedFiles: number;
  /** Objects newly written to the store, and their bytes. */
  storedObjects: number;
  storedBytes: number;
  /** Symlinks and special files inside a folder, which are not versioned. */
  skipped: string[];
  warnings: string[];
}

/**
 * `cairn data add`: stores files and folders in the object store (only content it does not have
 * yet), writes their pointer files, and makes git ignore the data.
 */
export async function addData(ws: DataWorkspace, paths: string[], opts: AddOptions = {}): Promise<AddResult[]> {
  if (paths.length === 0) throw invalidParam('Name at least one file or folder to add.');
  const rels = [...new Set(paths.map((p) => relPath(ws, isPointerPath(p) ? p.slice(0, -'.cairn'.length) : p, opts.cwd)))];
  return withDataLock(ws, 'add', async () => {
    await checkAddable(ws, rels);
    const cache = StatCache.load(ws.stateDir);
    const results: AddResult[] = [];
    try {
      for (const rel of rels) results.push(await addOne(ws, rel, cache, opts));
    } finally {
      cache.save();
    }
    return results;
  });
}

async function checkAddable(ws: DataWorkspace, rels: string[]): Promise<void> {
  const tracked = (await listPointers(ws)).map(dataPathOf);
  for (const rel of rels) {
    if (!fs.existsSync(absPath(ws, rel))) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `${rel} does not exist.`);
    const outer = tracked.find((t) => rel.startsWith(t + '/'));
    if (outer) throw invalidParam(`${rel} is inside ${outer}, which is tracked as a folder; add ${outer} again instead.`);
    const inner = tracked.find((t) => t.startsWith(rel + '/'));
    if (inner) throw invalidParam(`${rel} contains ${inner}, which is tracked on its own; track either the folder or the files inside it, not both.`);
  }
  if (ws.git) {
    const inGit = await lsFiles(ws.root, rels.map((r) => `:(literal)${r}`));
    if (inGit.length > 0) {
      const first = rels.find((r) => inGit.some((f) => f === r || f.startsWith(r + '/')))!;
      throw invalidParam(`${first} is tracked by git; stop tracking it there first: git rm -r --cached '${first}' (the files stay on disk).`);
    }
  }
}

async function addOne(ws: DataWorkspace, rel: string, cache: StatCache, opts: AddOptions): Promise<AddResult> {
  const abs = absPath(ws, rel);
  const pointer = pointerPathOf(rel);
  const previous = fs.existsSync(absPath(ws, pointer)) ? readPointer(ws, pointer) : undefined;
  const writer = new FsObjectWriter(ws.objects, ws.durable);
  const hasher = new FileHasher(cache, writer);
  const st = fs.lstatSync(abs);
  let data: DataPointer;
  let skipped: string[] = [];
  const warnings: string[] = [];
  let manifestHash: string | undefined;
  let folderIndex: { paths: string[]; stamps: FolderStamps } | undefined;
  try {
    if (st.isFile()) {
      const f = await hasher.hash(abs);
      data = { kind: 'file', hash: f.hash, size: f.size, files: 1 };
      const tabular = await tabularOf(abs, rel, f.hash, previous, opts, warnings);
      if (tabular) data.tabular = tabular;
    } else if (st.isDirectory()) {
      const folder = await addFolder(abs, rel, hasher, writer, opts);
      skipped = folder.skipped;
      manifestHash = folder.pointer.hash;
      folderIndex = folder;
      data = folder.pointer;
    } else {
      throw invalidParam(`${rel} is neither a regular file nor a folder (symbolic links are not versioned).`);
    }
    // Objects are durable before any pointer names them.
    await writer.commit();
  } catch (err) {
    writer.abort();
    throw err;
  }
  recordOwned(ws, [...hasher.written.filter((h) => h !== manifestHash).map((hash) => ({ hash, kind: 'file' as const })), ...(manifestHash ? [{ hash: manifestHash, kind: 'manifest' as const }] : [])]);
  const changed = writePointer(ws, pointer, data);
  if (folderIndex) FolderIndex.save(ws.stateDir, abs, data.hash, folderIndex.paths, folderIndex.stamps);
  ensureIgnored(ws, rel);
  return {
    path: rel,
    pointer,
    pointerData: data,
    changed,
    hashedFiles: hasher.stats.hashed,
    storedObjects: hasher.stats.stored,
    storedBytes: hasher.stats.storedBytes,
    skipped,
    warnings,
  };
}

async function addFolder(abs: string, rel: string, hasher: FileHasher, writer: FsObjectWriter, opts: AddOptions) {
  const startedAt = Date.now();
  const { files, skipped, dirs } = walkFiles(abs, { statDirs: true });
  const stamps = new FolderStamps(files.length, startedAt);
  stamps.dirs = dirs;
  const progress = throttled(opts.onProgress);
  const entries: ManifestEntry[] = [];
  let bytes = 0;
  let lastYield = Date.now();
  for (let i = 0; i < files.length; i++) {
    const file = `${abs}/${files[i]}`;
    const k = hasher.known(file);
    const f = k instanceof fs.Stats ? await hasher.hash(file, k) : k;
    entries.push({ path: files[i]!, hash: f.hash, size: f.size });
    stamps.set(i, f.st);
    bytes += f.size;
    if (Date.now() - lastYield > 50) {
      progress({ phase: `adding ${rel}`, done: i + 1, total: files.length, bytes });
      await yieldToEventLoop();
      lastYield = Date.now();
    }
  }
  progress({ phase: `adding ${rel}`, done: files.length, total: files.length, bytes });
  const manifest = writer.putBuffer(encodeManifest(entries));
  if (manifest.stored) {
    hasher.written.push(manifest.hash);
    hasher.stats.stored++;
    hasher.stats.storedBytes += manifest.size;
  }
  const pointer: DataPointer = { kind: 'dir', hash: manifest.hash, size: bytes, files: entries.length };
  return { pointer, skipped, paths: files, stamps };
}

/** A table's summary: reused from the previous pointer when the content is unchanged. */
async function tabularOf(abs: string, rel: string, hash: string, previous: DataPointer | undefined, opts: AddOptions, warnings: string[]): Promise<TabularSummary | undefined> {
  const format = tabularFormatOf(rel);
  if (!format || opts.profile === false) return undefined;
  if (previous?.hash === hash && previous.tabular) return previous.tabular;
  try {
    return await profileTable(abs, format);
  } catch (err) {
    // The bytes are versioned either way; a file that does not parse simply has no schema.
    warnings.push(`${rel}: no schema recorded: ${(err as Error).message}`);
    return undefined;
  }
}
