import * as fs from 'node:fs';
import * as path from 'node:path';
import { Document, parse as parseYaml } from 'yaml';
import type { ColumnSummary, DataPointer, TabularSummary } from '../api/data';
import { invalidParam } from '../core/errors';
import { absPath, type DataWorkspace } from './workspace';

export const POINTER_EXT = '.cairn';
const HASH = /^[0-9a-f]{64}$/;
const HEADER = [
  ' Cairn data pointer: commit this file to git; the data it names is git-ignored.',
  ' `cairn data checkout` restores the data, `cairn data pull` fetches it from the backend.',
].join('\n');

export const pointerPathOf = (dataRel: string) => dataRel + POINTER_EXT;
export const dataPathOf = (pointerRel: string) => pointerRel.slice(0, -POINTER_EXT.length);
export const isPointerPath = (p: string) => p.endsWith(POINTER_EXT) && p.length > POINTER_EXT.length;

export function formatPointer(p: DataPointer): string {
  const body: Record<string, unknown> = { cairn: 1, kind: p.kind, hash: p.hash, size: p.size, files: p.files };
  if (p.tabular) body['tabular'] = p.tabular;
  const doc = new Document(body);
  doc.commentBefore = HEADER;
  // One line per column keeps wide tables readable in `git diff`.
  const columns = doc.getIn(['tabular', 'columns'], true) as { items?: { flow?: boolean }[] } | undefined;
  for (const item of columns?.items ?? []) item.flow = true;
  return doc.toString({ lineWidth: 0 });
}

/** Parses and validates a pointer file's text; `where` names it in errors. */
export function parsePointer(text: string, where: string): DataPointer {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw invalidParam(`${where} is not a valid pointer file: ${(err as Error).message}`);
  }
  const bad = (why: string) => invalidParam(`${where} is not a valid pointer file: ${why}`);
  if (typeof raw !== 'object' || raw === null) throw bad('expected a YAML mapping');
  const r = raw as Record<string, unknown>;
  if (r['cairn'] !== 1) throw bad(`unsupported format version ${JSON.stringify(r['cairn'])} (expected 1)`);
  if (r['kind'] !== 'file' && r['kind'] !== 'dir') throw bad(`kind must be 'file' or 'dir'`);
  if (typeof r['hash'] !== 'string' || !HASH.test(r['hash'])) throw bad('hash must be 64 lowercase hex digits');
  const count = (k: string) => {
    const v = r[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad(`${k} must be a non-negative integer`);
    return v;
  };
  const p: DataPointer = { kind: r['kind'], hash: r['hash'], size: count('size'), files: count('files') };
  if (r['tabular'] !== undefined) p.tabular = readTabular(r['tabular'], bad);
  return p;
}

function readTabular(v: unknown, bad: (why: string) => Error): TabularSummary {
  if (typeof v !== 'object' || v === null) throw bad('tabular must be a mapping');
  const t = v as Record<string, unknown>;
  if (!['csv', 'tsv', 'jsonl', 'parquet'].includes(String(t['format']))) throw bad(`unknown tabular format ${JSON.stringify(t['format'])}`);
  if (typeof t['rows'] !== 'number') throw bad('tabular.rows must be a number');
  if (!Array.isArray(t['columns'])) throw bad('tabular.columns must be a list');
  for (const c of t['columns'] as unknown[]) {
    if (typeof c !== 'object' || c === null || typeof (c as ColumnSummary).name !== 'string' || typeof (c as ColumnSummary).type !== 'string') {
      throw bad('each tabular column needs a name and a type');
    }
  }
  return t as unknown as TabularSummary;
}

export function readPointer(ws: DataWorkspace, pointerRel: string): DataPointer {
  return parsePointer(fs.readFileSync(absPath(ws, pointerRel), 'utf8'), pointerRel);
}

/** Writes a pointer atomically (temp file, rename); unchanged content is left alone. */
export function writePointer(ws: DataWorkspace, pointerRel: string, p: DataPointer): boolean {
  const file = absPath(ws, pointerRel);
  const text = formatPointer(p);
  try {
    if (fs.readFileSync(file, 'utf8') === text) return false;
  } catch {
    // new pointer
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
  return true;
}
