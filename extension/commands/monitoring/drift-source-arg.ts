// Turns a command argument into a drift source (pure; unit-tested): `dataset:NAME[@VERSION]`, a
// path (absolute inside the workspace, or relative to it), a Uri-like `{fsPath}`, or a DriftSource.
import * as path from 'node:path';
import type { DriftSource } from '../../../backend/api/drift';

export function driftSourceArg(arg: unknown, workspace: string): DriftSource {
  if (typeof arg === 'string') {
    const ds = /^dataset:([^@]+)(?:@([0-9a-f]{7,64}))?$/.exec(arg);
    if (ds) return { dataset: ds[1]!, ...(ds[2] ? { version: ds[2] } : {}) };
    return { path: workspaceRelative(arg, workspace) };
  }
  if (arg && typeof arg === 'object') {
    const o = arg as Record<string, unknown>;
    if (typeof o['fsPath'] === 'string') return { path: workspaceRelative(o['fsPath'], workspace) };
    if (typeof o['path'] === 'string') return { ...(o as DriftSource & { path: string }), path: workspaceRelative(o['path'], workspace) };
    if (typeof o['dataset'] === 'string') return { dataset: o['dataset'], ...(typeof o['version'] === 'string' ? { version: o['version'] } : {}) };
  }
  throw new Error(`Not a drift source: ${JSON.stringify(arg)} (give a file in the workspace or dataset:NAME[@VERSION]).`);
}

function workspaceRelative(p: string, workspace: string): string {
  const rel = path.relative(workspace, path.resolve(workspace, p));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`${p} is not inside the workspace ${workspace}.`);
  return rel.split(path.sep).join('/');
}

/** `ref.csv → cur.csv`, a panel title. */
export function sourceLabel(s: DriftSource): string {
  if ('path' in s) return path.basename(s.path);
  if ('dataset' in s) return `${s.dataset}${s.version ? `@${s.version.slice(0, 8)}` : ''}`;
  return s.deployment;
}
