import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataWorkspace } from './workspace';

export type OwnedKind = 'file' | 'manifest';

/**
 * The objects data versioning put into the store (`<store>/data/owned`, one `f <hash>` or
 * `m <hash>` line each, appended). `cairn data gc` only ever deletes objects listed here, so
 * artifacts and models that share the store are never candidates.
 */
export function recordOwned(ws: DataWorkspace, objects: { hash: string; kind: OwnedKind }[]): void {
  if (objects.length === 0) return;
  const text = objects.map((o) => `${o.kind === 'manifest' ? 'm' : 'f'} ${o.hash}\n`).join('');
  fs.appendFileSync(path.join(ws.stateDir, 'owned'), text);
}

export function readOwned(ws: DataWorkspace): Map<string, OwnedKind> {
  const out = new Map<string, OwnedKind>();
  let text = '';
  try {
    text = fs.readFileSync(path.join(ws.stateDir, 'owned'), 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    if (line.length !== 66) continue;
    out.set(line.slice(2), line[0] === 'm' ? 'manifest' : 'file');
  }
  return out;
}

/** Rewrites the list with only the objects still present. */
export function rewriteOwned(ws: DataWorkspace, objects: Map<string, OwnedKind>): void {
  const file = path.join(ws.stateDir, 'owned');
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, [...objects].map(([h, k]) => `${k === 'manifest' ? 'm' : 'f'} ${h}\n`).join(''));
  fs.renameSync(tmp, file);
}
