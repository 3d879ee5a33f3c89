import * as fs from 'node:fs';
import type { ColumnStatsChange, DataDiffReport, DataPointer, FileChange, ManifestEntry, SchemaChange, TabularDiff, TabularFormat, TabularSummary } from '../api/data';
import { CairnError } from '../core/errors';
import { readBlobs, resolveCommit } from './git';
import { loadManifest } from './manifest';
import { dataPathOf, isPointerPath, parsePointer, pointerPathOf, readPointer } from './pointer';
import { compareEntries, scanData } from './scan';
import { StatCache } from './stat-cache';
import { tabularFormatOf } from './tabular/format';
import { profileTable } from './tabular/profile';
import { compareRows, rowMultiset } from './tabular/row-diff';
import { absPath, relPath, type DataWorkspace } from './workspace';

export const WORKSPACE = 'workspace';

/** Changed tables inside a folder get a table diff only up to this many, and this size each. */
const MAX_TABLE_DIFFS_IN_FOLDER = 20;
const MAX_TABLE_BYTES_IN_FOLDER = 64 << 20;

/** One side of a diff: a version's kind, hash, listing, and where its bytes can be read (if local). */
interface Side {
  label: string;
  kind: 'file' | 'dir';
  hash: string;
  size: number;
  tabular?: TabularSummary;
  entries?: ManifestEntry[];
  /** A readable file holding a file version's bytes (its object, or the workspace file). */
  file?: string;
  /** Where a folder version's file of a given hash can be read. */
  fileOf: (hash: string, rel: string) => string | undefined;
}

/**
 * `cairn data diff PATH [REV_A [REV_B]]`: what changed in tracked data between two git revisions,
 * or a revision and the workspace (REV_A defaults to HEAD, REV_B to the data on disk).
 */
export async function diffData(ws: DataWorkspace, pathArg: string, revA?: string, revB?: string, opts: { cwd?: string } = {}): Promise<DataDiffReport> {
  const given = relPath(ws, pathArg, opts.cwd);
  const path = isPointerPath(given) ? dataPathOf(given) : given;
  const a = ws.git ? revA ?? 'HEAD' : revA ?? 'pointer';
  const b = revB ?? WORKSPACE;
  const [sa, sb] = [await sideAt(ws, path, a), await sideAt(ws, path, b)];
  if (!sa && !sb) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `${path} is tracked neither at ${a} nor at ${b}.`);
  const report: DataDiffReport = { path, a, b, identical: sa?.hash === sb?.hash && sa?.kind === sb?.kind, files: [] };
  if (sa) Object.assign(report, { hash_a: sa.hash, size_a: sa.size });
  if (sb) Object.assign(report, { hash_b: sb.hash, size_b: sb.size });
  if (report.identical) return report;
  if ((sa?.kind ?? sb!.kind) === 'file' && (sb?.kind ?? sa!.kind) === 'file') {
    const change: FileChange = { path, change: !sa ? 'added' : !sb ? 'removed' : 'changed' };
    if (sa) change.size_a = sa.size;
    if (sb) change.size_b = sb.size;
    const format = tabularFormatOf(path);
    if (format && sa && sb) change.tabular = await tabularDiff(format, sa.tabular, sb.tabular, sa.file, sb.file);
    report.files.push(change);
    return report;
  }
  report.files = await folderChanges(sa, sb);
  return report;
}

async function folderChanges(sa: Side | undefined, sb: Side | undefined): Promise<FileChange[]> {
  const listing = (s: Side | undefined) => (!s ? [] : s.kind === 'dir' ? s.entries! : [{ path: '', hash: s.hash, size: s.size }]);
  const d = compareEntries(listing(sa), listing(sb));
  const out: FileChange[] = [
    ...d.added.map((e) => ({ path: e.path, change: 'added' as const, size_b: e.size })),
    ...d.removed.map((e) => ({ path: e.path, change: 'removed' as const, size_a: e.size })),
  ];
  let tables = 0;
  for (const { a, b } of d.changed) {
    const change: FileChange = { path: a.path, change: 'changed', size_a: a.size, size_b: b.size };
    const format = tabularFormatOf(a.path);
    if (format && tables < MAX_TABLE_DIFFS_IN_FOLDER && a.size <= MAX_TABLE_BYTES_IN_FOLDER && b.size <= MAX_TABLE_BYTES_IN_FOLDER) {
      const fa = sa!.fileOf(a.hash, a.path);
      const fb = sb!.fileOf(b.hash, b.path);
      if (fa && fb) {
        change.tabular = await tabularDiff(format, undefined, undefined, fa, fb);
        tables++;
      }
    }
    out.push(change);
  }
  return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

async function sideAt(ws: DataWorkspace, path: string, rev: string): Promise<Side | undefined> {
  const objectFile = (hash: string) => {
    const f = ws.objects.pathOf(hash);
    return fs.existsSync(f) ? f : undefined;
  };
  const fromPointer = (p: DataPointer, label: string): Side => {
    const side: Side = { label, kind: p.kind, hash: p.hash, size: p.size, fileOf: (h) => objectFile(h) };
    if (p.tabular) side.tabular = p.tabular;
    if (p.kind === 'file') side.file = objectFile(p.hash);
    else side.entries = loadManifest(ws, p.hash, `${path} at ${label}`).files;
    return side;
  };
  if (rev === WORKSPACE) {
    const now = await scanData(absPath(ws, path), path, StatCache.load(ws.stateDir));
    if (!now.exists) return undefined;
    const abs = absPath(ws, path);
    const side: Side = { label: rev, kind: now.kind, hash: now.hash, size: now.size, fileOf: (_h, rel) => `${abs}/${rel}` };
    if (now.kind === 'file') side.file = abs;
    else side.entries = now.entries;
    return side;
  }
  if (rev === 'pointer') {
    const p = pointerPathOf(path);
    return fs.existsSync(absPath(ws, p)) ? fromPointer(readPointer(ws, p), rev) : undefined;
  }
  const commit = await resolveCommit(ws.root, rev);
  const [blob] = await readBlobs(ws.root, [`${commit}:${pointerPathOf(path)}`]);
  return blob ? fromPointer(parsePointer(blob.toString('utf8'), `${pointerPathOf(path)} at ${rev}`), rev) : undefined;
}

/** Rows, schema and per-column statistics of two versions of a table. */
export async function tabularDiff(format: TabularFormat, ta: TabularSummary | undefined, tb: TabularSummary | undefined, fileA: string | undefined, fileB: string | undefined): Promise<TabularDiff> {
  const summary = async (t: TabularSummary | undefined, f: string | undefined) => t ?? (f ? await profileTable(f, format).catch(() => undefined) : undefined);
  const [a, b] = [await summary(ta, fileA), await summary(tb, fileB)];
  const diff: TabularDiff = { schema: [], columns: [] };
  if (a) diff.rows_a = a.rows;
  if (b) diff.rows_b = b.rows;
  const colsA = new Map((a?.columns ?? []).map((c) => [c.name, c]));
  const colsB = new Map((b?.columns ?? []).map((c) => [c.name, c]));
  const schema: SchemaChange[] = [];
  const columns: ColumnStatsChange[] = [];
  for (const name of new Set([...colsA.keys(), ...colsB.keys()])) {
    const ca = colsA.get(name);
    const cb = colsB.get(name);
    if (a && b && !ca) schema.push({ column: name, change: 'added', to: cb!.type });
    else if (a && b && !cb) schema.push({ column: name, change: 'removed', from: ca!.type });
    else if (ca && cb && ca.type !== cb.type) schema.push({ column: name, change: 'type', from: ca.type, to: cb.type });
    const c: ColumnStatsChange = { column: name };
    if (ca) c.a = ca;
    if (cb) c.b = cb;
    columns.push(c);
  }
  diff.schema = schema;
  diff.columns = columns;
  if (fileA && fileB) {
    const [ra, rb] = [await rowMultiset(fileA, format).catch(() => undefined), await rowMultiset(fileB, format).catch(() => undefined)];
    if (ra && rb) {
      const r = compareRows(ra, rb);
      diff.rows_added = r.added;
      diff.rows_removed = r.removed;
    }
  }
  return diff;
}
