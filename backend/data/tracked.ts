import * as fs from 'node:fs';
import * as path from 'node:path';
import { lsFiles } from './git';
import { dataPathOf, isPointerPath, POINTER_EXT } from './pointer';
import { absPath, type DataWorkspace } from './workspace';

const NEVER_WALK = new Set(['.git', '.cairn', 'node_modules']);

/**
 * Workspace-relative paths of the pointer files in the workspace, sorted. In git: the ones git
 * tracks or would track (fast, and ignored data folders are never walked); elsewhere a walk that
 * skips every tracked data folder.
 */
export async function listPointers(ws: DataWorkspace): Promise<string[]> {
  if (ws.git) {
    const listed = await lsFiles(ws.root, [`*${POINTER_EXT}`], { others: true });
    return [...new Set(listed)].filter((p) => isPointerPath(p) && fs.existsSync(absPath(ws, p))).sort();
  }
  const out: string[] = [];
  const visit = (dir: string, prefix: string) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    const pointers = new Set(entries.filter((d) => d.isFile() && isPointerPath(d.name)).map((d) => d.name));
    for (const d of entries) {
      if (d.isFile() && pointers.has(d.name)) out.push(prefix + d.name);
      else if (d.isDirectory() && !NEVER_WALK.has(d.name) && !pointers.has(d.name + POINTER_EXT)) visit(path.join(dir, d.name), `${prefix}${d.name}/`);
    }
  };
  visit(ws.root, '');
  return out.sort();
}

/** The pointers a set of user-given paths select: a data path, its pointer, or a folder holding pointers. */
export function selectPointers(all: string[], rels: string[]): string[] {
  if (rels.length === 0) return all;
  const out = new Set<string>();
  for (const rel of rels) {
    const target = isPointerPath(rel) ? dataPathOf(rel) : rel;
    for (const p of all) {
      const data = dataPathOf(p);
      if (data === target || data.startsWith(target + '/')) out.add(p);
    }
  }
  return [...out].sort();
}
