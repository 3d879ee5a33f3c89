import type { Role } from './actor';

/** POST endpoints that only read (MLflow sends searches as POST). */
const READ_ONLY_POSTS = [
  '/experiments/search',
  '/runs/search',
  '/registered-models/search',
  '/model-versions/search',
  '/registered-models/get-latest-versions',
  '/metrics/get-history-bulk-interval',
  '/logged-models/search',
];
/** Native POST endpoints that only read: object lookups and downloads (`cairn data pull`), quality reports. */
const READ_ONLY_NATIVE_POSTS = ['/api/cairn/v1/objects/missing', '/api/cairn/v1/objects/in-use', '/api/cairn/v1/objects/pack/get', '/api/cairn/v1/quality/reports'];
/** Predictions from deployed models (OIP v2 and MLflow scoring): using a deployment is a reader's right. */
const INFERENCE = /^(\/v2\/models\/[^/]+(\/versions\/[^/]+)?\/infer|(\/deployments\/[^/]+)?\/invocations)$/;
const MLFLOW_PREFIXES = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'];
export const ADMIN_PREFIX = '/api/cairn/v1/admin/';

/**
 * The least role a request needs: reading is for readers, changing anything for writers, managing
 * users, tokens and the audit log for admins. Unknown endpoints that are not GET count as writes.
 */
export function requiredRole(method: string, path: string): Role {
  if (path.startsWith(ADMIN_PREFIX)) return 'admin';
  if (method === 'GET' || method === 'HEAD') return 'reader';
  if (method === 'POST') {
    const prefix = MLFLOW_PREFIXES.find((p) => path.startsWith(p + '/'));
    if (prefix && READ_ONLY_POSTS.includes(path.slice(prefix.length))) return 'reader';
    if (READ_ONLY_NATIVE_POSTS.includes(path) || INFERENCE.test(path)) return 'reader';
  }
  return 'writer';
}
