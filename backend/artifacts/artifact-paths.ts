import { invalidParam } from '../core/errors';

/**
 * Checks an artifact path from a request (already percent-decoded once) and returns it normalised:
 * relative, `/`-separated, with no `.`/`..` segments, backslashes, NUL or drive letters, and no
 * traversal hidden under a second layer of percent-encoding.
 */
export function safeArtifactPath(raw: string, field = 'path'): string {
  const reject = (why: string) => invalidParam(`Invalid value '${raw}' for parameter '${field}' supplied: ${why}`);
  let decodedTwice = raw;
  try {
    decodedTwice = decodeURIComponent(raw);
  } catch {
    // not double-encoded; the single decoding is what we check
  }
  for (const p of [raw, decodedTwice]) {
    if (p.includes('\0')) throw reject('NUL bytes are not allowed.');
    if (p.includes('\\')) throw reject('backslashes are not allowed.');
    if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) throw reject('absolute paths are not allowed.');
    if (p.split('/').some((seg) => seg === '..' || seg === '.')) throw reject('"." and ".." path segments are not allowed.');
  }
  return raw.split('/').filter((s) => s !== '').join('/');
}

/** `mlflow-artifacts:/0/abc/artifacts` (or `mlflow-artifacts://host:port/0/…`) → `0/abc/artifacts`. */
export function artifactPathOf(uri: string): string {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(uri);
  if (!m) throw invalidParam(`Unsupported artifact URI '${uri}': this server stores artifacts under mlflow-artifacts:/.`);
  return safeArtifactPath(m[1]!.replace(/\/+$/, ''), 'artifact_uri');
}

/** The run an artifact path belongs to, if it has the `<experiment>/<run>/artifacts/…` shape. */
export function runIdOfArtifactPath(path: string): string | undefined {
  const m = /^\d+\/([A-Za-z0-9][\w-]*)\/artifacts(\/|$)/.exec(path);
  return m?.[1];
}

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
  log: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  yaml: 'text/yaml; charset=utf-8',
  yml: 'text/yaml; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  py: 'text/x-python; charset=utf-8',
  diff: 'text/x-diff; charset=utf-8',
  patch: 'text/x-diff; charset=utf-8',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  html: 'text/plain; charset=utf-8',
};

/** Content type for a download. HTML is served as text: artifacts are data, never pages. */
export function contentTypeOf(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}
