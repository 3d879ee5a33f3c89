import type { FileInfo } from '../api/mlflow';
import { BackendError, type CairnClient } from '../client/cairn-client';
import type { SyncContext } from './sync-kind';

const PROXY = '/api/2.0/mlflow-artifacts/artifacts';
const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');

/** Every file under `dir` on a backend's artifact proxy: path relative to `dir`, and size. */
export async function listArtifactTree(client: CairnClient, dir: string): Promise<{ path: string; size: number }[]> {
  const out: { path: string; size: number }[] = [];
  const walk = async (rel: string) => {
    const full = rel ? `${dir}/${rel}` : dir;
    const res = await client.call<{ files?: FileInfo[] }>('GET', `${PROXY}?path=${encodeURIComponent(full)}`);
    for (const f of res.files ?? []) {
      const child = rel ? `${rel}/${f.path}` : f.path;
      if (f.is_dir) await walk(child);
      else out.push({ path: child, size: Number(f.file_size ?? 0) });
    }
  };
  await walk('');
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** The content hash a backend serves an artifact with (its ETag), or undefined if absent. */
export async function artifactHash(client: CairnClient, path: string): Promise<string | undefined> {
  const res = await request(client, 'HEAD', path);
  if (res.status === 404) return undefined;
  if (!res.ok) throw new BackendError(`HTTP_${res.status}`, `HEAD ${path} failed`, res.status);
  return res.headers.get('etag')?.replace(/"/g, '');
}

/** Streams one artifact from `source` to `target` (no full copy in memory). */
export async function copyArtifact(source: CairnClient, sourcePath: string, target: CairnClient, targetPath: string): Promise<void> {
  const down = await request(source, 'GET', sourcePath);
  if (!down.ok || !down.body) throw new BackendError(`HTTP_${down.status}`, `GET ${sourcePath} from ${source.url} failed`, down.status);
  const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
  const length = down.headers.get('content-length');
  if (length) headers['Content-Length'] = length;
  const up = await fetch(`${target.url}${PROXY}/${encodePath(targetPath)}`, {
    method: 'PUT',
    headers: target.headers(headers),
    body: down.body,
    duplex: 'half',
  } as RequestInit);
  if (!up.ok) {
    const e = (await up.json().catch(() => ({}))) as { error_code?: string; message?: string };
    throw new BackendError(e.error_code ?? `HTTP_${up.status}`, e.message ?? `PUT ${targetPath} to ${target.url} failed`, up.status);
  }
  await up.arrayBuffer();
}

async function request(client: CairnClient, method: string, path: string): Promise<Response> {
  try {
    return await fetch(`${client.url}${PROXY}/${encodePath(path)}`, { method, headers: client.headers() });
  } catch (err) {
    throw new BackendError('UNREACHABLE', `cannot reach ${client.url}: ${(err as Error).message}`, 0);
  }
}

/** Copies artifacts whose content (ETag = sha256) differs on the target. */
export async function pushArtifacts(ctx: SyncContext, sourceRoot: string, targetRoot: string): Promise<number> {
  let changes = 0;
  for (const f of await listArtifactTree(ctx.source, sourceRoot)) {
    const from = `${sourceRoot}/${f.path}`;
    const to = `${targetRoot}/${f.path}`;
    const [want, have] = await Promise.all([artifactHash(ctx.source, from), artifactHash(ctx.target, to)]);
    if (want !== undefined && want === have) continue;
    await copyArtifact(ctx.source, from, ctx.target, to);
    changes++;
  }
  return changes;
}
