import type { ManifestEntry } from '../api/data';
import { hasManifest, loadManifest } from './manifest';
import type { DataVersionRef } from './materialize';
import type { DataWorkspace } from './workspace';

/** An object some tracked data needs, with the paths that need it and its size when known. */
export interface NeededObject {
  hash: string;
  size?: number;
  kind: 'file' | 'manifest';
  paths: string[];
}

/**
 * Every object a set of data versions needs: each file's object, each folder's manifest and the
 * objects it lists. A manifest absent from the local store is listed (so it can be fetched) but
 * its files cannot be, and its path lands in `unexpanded`.
 */
export function neededObjects(ws: DataWorkspace, versions: { path: string; ref: DataVersionRef; size?: number }[]): { objects: Map<string, NeededObject>; unexpanded: string[] } {
  const objects = new Map<string, NeededObject>();
  const unexpanded: string[] = [];
  const add = (hash: string, kind: NeededObject['kind'], path: string, size?: number) => {
    const o = objects.get(hash);
    if (o) {
      if (o.paths.length < 5) o.paths.push(path);
    } else objects.set(hash, { hash, kind, paths: [path], size });
  };
  for (const v of versions) {
    if (v.ref.kind === 'file') {
      add(v.ref.hash, 'file', v.path, v.size);
      continue;
    }
    add(v.ref.hash, 'manifest', v.path);
    if (!hasManifest(ws, v.ref.hash)) {
      unexpanded.push(v.path);
      continue;
    }
    for (const e of loadManifest(ws, v.ref.hash, v.path).files as ManifestEntry[]) add(e.hash, 'file', `${v.path}/${e.path}`, e.size);
  }
  return { objects, unexpanded };
}
