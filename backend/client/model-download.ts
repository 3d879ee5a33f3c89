import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ModelVersion } from '../api/mlflow';
import { BackendError } from './cairn-client';
import type { ServingClient } from './serving-client';

/** Resolves `NAME@ALIAS` / `NAME/VERSION` (optionally `models:/…`) through the registry API. */
export async function resolveVersion(sc: ServingClient, ref: string): Promise<ModelVersion> {
  const s = ref.replace(/^models:\/+/, '');
  const at = s.lastIndexOf('@');
  if (at > 0) return sc.getVersionByAlias(s.slice(0, at), s.slice(at + 1));
  const m = /^(.+)\/(\d+)$/.exec(s);
  if (!m) throw new BackendError('INVALID_PARAMETER_VALUE', `Invalid model reference '${ref}': expected NAME@ALIAS, NAME/VERSION or a model folder.`, 400);
  return sc.getModelVersion(m[1]!, m[2]!);
}

/** Downloads a registered version's model folder into `dest` (through the artifact proxy). */
export async function downloadModel(sc: ServingClient, mv: ModelVersion, dest: string): Promise<string[]> {
  const { artifact_path, files } = await sc.modelFiles(mv.name, mv.version);
  const client = sc.client;
  for (const f of files) {
    const target = path.join(dest, ...f.path.split('/'));
    if (!path.resolve(target).startsWith(path.resolve(dest) + path.sep)) throw new Error(`refusing model file path '${f.path}'`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const url = `${client.url}/api/2.0/mlflow-artifacts/artifacts/${[...artifact_path.split('/'), ...f.path.split('/')].map(encodeURIComponent).join('/')}`;
    const res = await fetch(url, { headers: client.headers() });
    if (!res.ok || !res.body) throw new BackendError(`HTTP_${res.status}`, `cannot download ${f.path}: ${await res.text()}`, res.status);
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), fs.createWriteStream(target));
  }
  return files.map((f) => f.path);
}
