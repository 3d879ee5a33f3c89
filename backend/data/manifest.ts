import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { Manifest, ManifestEntry } from '../api/data';
import { CairnError, invalidParam } from '../core/errors';
import type { DataWorkspace } from './workspace';

const HASH = /^[0-9a-f]{64}$/;

/**
 * A folder's manifest as stored: canonical JSON (entries sorted by path, fixed key order, no
 * whitespace), so the same folder content always has the same manifest hash on every machine.
 */
export function encodeManifest(entries: ManifestEntry[]): Buffer {
  let inOrder = true;
  for (let i = 1; i < entries.length && inOrder; i++) inOrder = entries[i - 1]!.path < entries[i]!.path;
  const sorted = inOrder ? entries : [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const parts = sorted.map((e) => `[${JSON.stringify(e.path)},"${e.hash}",${e.size}]`);
  return Buffer.from(`{"cairn_manifest":1,"files":[${parts.join(',')}]}`, 'utf8');
}

export const manifestHash = (encoded: Buffer) => createHash('sha256').update(encoded).digest('hex');

export function decodeManifest(buf: Buffer, where: string): Manifest {
  let raw: { cairn_manifest?: unknown; files?: unknown };
  try {
    raw = JSON.parse(buf.toString('utf8')) as typeof raw;
  } catch {
    throw invalidParam(`${where} is not a folder manifest.`);
  }
  if (raw.cairn_manifest !== 1 || !Array.isArray(raw.files)) throw invalidParam(`${where} is not a folder manifest.`);
  const files: ManifestEntry[] = raw.files.map((e: unknown) => {
    if (!Array.isArray(e) || typeof e[0] !== 'string' || typeof e[1] !== 'string' || !HASH.test(e[1]) || typeof e[2] !== 'number') {
      throw invalidParam(`${where} has a malformed entry.`);
    }
    const p = e[0];
    if (p === '' || p.startsWith('/') || p.includes('\\') || p.includes('\0') || p.split('/').some((s: string) => s === '' || s === '.' || s === '..')) {
      throw invalidParam(`${where} has an unsafe path '${p}'.`);
    }
    return { path: p, hash: e[1], size: e[2] };
  });
  return { files };
}

/** Reads a manifest object from the local store; throws RESOURCE_DOES_NOT_EXIST if it is not there. */
export function loadManifest(ws: DataWorkspace, hash: string, forPath: string): Manifest {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(ws.objects.pathOf(hash));
  } catch {
    throw new CairnError('RESOURCE_DOES_NOT_EXIST', `The manifest of ${forPath} (${hash.slice(0, 12)}…) is not in the local store; run 'cairn data pull ${forPath}'.`);
  }
  if (manifestHash(buf) !== hash) throw new CairnError('INVALID_STATE', `The manifest of ${forPath} (${hash.slice(0, 12)}…) is corrupt in the local store; run 'cairn data verify'.`);
  return decodeManifest(buf, `manifest ${hash.slice(0, 12)}… of ${forPath}`);
}

export function hasManifest(ws: DataWorkspace, hash: string): boolean {
  return fs.existsSync(ws.objects.pathOf(hash));
}
