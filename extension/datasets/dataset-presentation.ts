/** How tracked datasets and their versions look in the Datasets view and the Explorer. Pure. */
import type { DataLogEntry, DataState, DataStatusEntry } from '../../backend/api/data';
import { formatBytes } from '../../backend/core/format-bytes';

export { formatBytes };


export const datasetNodeId = (path: string): string => `/dataset/${path}`;
export const versionNodeId = (path: string, commit: string): string => `/dataset/${path}@${commit}`;

/** `cairn:dataset+modified`: menus match on the prefix and the state. */
export const datasetContextValue = (e: DataStatusEntry): string => `cairn:dataset+${e.state}`;
export const VERSION_CONTEXT = 'cairn:datasetVersion';

function shape(e: { kind: 'file' | 'dir'; size?: number; files?: number; rows?: number }): string {
  const parts: string[] = [];
  if (e.size !== undefined) parts.push(formatBytes(e.size));
  if (e.kind === 'dir' && e.files !== undefined) parts.push(`${e.files.toLocaleString('en-US')} files`);
  if (e.rows !== undefined) parts.push(`${e.rows.toLocaleString('en-US')} rows`);
  return parts.join(' · ');
}

export function datasetDescription(e: DataStatusEntry): string {
  const state = e.state === 'clean' ? '' : e.state;
  const store = e.not_in_store ? 'not in local store' : '';
  return [state, store, shape(e)].filter(Boolean).join(' · ');
}

export function datasetTooltip(e: DataStatusEntry): string {
  const lines = [`${e.path}${e.kind === 'dir' ? '/' : ''} — ${STATE_TEXT[e.state]}`, `pointer: ${e.pointer}`];
  if (e.hash) lines.push(`version: ${e.hash.slice(0, 12)}`);
  const s = shape(e);
  if (s) lines.push(s);
  if (e.not_in_store) lines.push('The recorded version is not in the local store: Pull to fetch it.');
  for (const [label, list] of [['changed', e.changed], ['missing', e.missing], ['untracked', e.untracked]] as const) {
    if (list?.length) lines.push(`${label}: ${list.slice(0, 10).join(', ')}${list.length > 10 ? ` … (${list.length})` : ''}`);
  }
  return lines.join('\n');
}

const STATE_TEXT: Record<DataState, string> = {
  clean: 'matches its pointer',
  modified: 'modified since it was added (Add records the change, Checkout restores the recorded version)',
  missing: 'missing on disk (Checkout or Pull restores it)',
};

export function datasetIcon(e: DataStatusEntry): { icon: string; color?: string } {
  if (e.state === 'missing') return { icon: 'warning', color: 'list.errorForeground' };
  if (e.state === 'modified') return { icon: 'database', color: 'gitDecoration.modifiedResourceForeground' };
  return { icon: e.kind === 'dir' ? 'file-directory' : 'database' };
}

export function versionLabel(v: DataLogEntry): string {
  return `${v.commit.slice(0, 8)} ${v.subject}`;
}

export function versionDescription(v: DataLogEntry, current: boolean): string {
  const when = new Date(v.time).toISOString().slice(0, 16).replace('T', ' ');
  const s = shape({ kind: v.pointer.kind, size: v.pointer.size, files: v.pointer.files, rows: v.pointer.tabular?.rows });
  return [current ? '● current' : '', when, s].filter(Boolean).join(' · ');
}

export function versionTooltip(v: DataLogEntry): string {
  return [`commit ${v.commit}`, `${v.author}, ${new Date(v.time).toISOString()}`, v.subject, `version ${v.pointer.hash.slice(0, 12)}`].join('\n');
}

export interface FileBadge {
  badge: string;
  tooltip: string;
  color: string;
}

/** The decoration of a tracked path (or a file inside a tracked folder) in a given state. */
export function badgeFor(state: 'modified' | 'missing' | 'untracked'): FileBadge {
  switch (state) {
    case 'modified':
      return { badge: 'M', tooltip: 'Cairn: modified since its version was recorded', color: 'gitDecoration.modifiedResourceForeground' };
    case 'missing':
      return { badge: '!', tooltip: 'Cairn: tracked data missing on disk', color: 'gitDecoration.deletedResourceForeground' };
    case 'untracked':
      return { badge: 'U', tooltip: 'Cairn: in a tracked folder but not in its recorded version', color: 'gitDecoration.untrackedResourceForeground' };
  }
}

/** Workspace-relative path → what to decorate it with, for every dataset that is not clean. */
export function decorationTargets(entries: DataStatusEntry[]): Map<string, 'modified' | 'missing' | 'untracked'> {
  const out = new Map<string, 'modified' | 'missing' | 'untracked'>();
  for (const e of entries) {
    if (e.state === 'clean') continue;
    out.set(e.path, e.state);
    for (const f of e.changed ?? []) out.set(`${e.path}/${f}`, 'modified');
    for (const f of e.untracked ?? []) out.set(`${e.path}/${f}`, 'untracked');
    for (const f of e.missing ?? []) out.set(`${e.path}/${f}`, 'missing');
  }
  return out;
}
