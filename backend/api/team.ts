/**
 * Types of the team backend's native API: who am I, user/token administration, the audit log
 * (`/api/cairn/v1/admin/…`, admins only), and the import endpoints `cairn sync` writes through
 * (`/api/cairn/v1/sync/…`, writers).
 */
import type { Metric, Run } from './mlflow';
import type { LoggedModel } from './registry';

export type Role = 'reader' | 'writer' | 'admin';

/** `GET /api/cairn/v1/whoami` */
export interface WhoAmI {
  user: string;
  role: Role;
}

export interface UserInfo {
  name: string;
  role: Role;
  created_at: number;
  revoked_at: number | null;
  has_password: boolean;
  active_tokens: number;
}

export interface TokenInfo {
  id: string;
  user: string;
  label: string;
  created_at: number;
  revoked_at: number | null;
}

/** One committed write: who, when, what. */
export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  role: Role;
  action: string;
  target: string;
}

/** `POST /api/cairn/v1/sync/runs/import` → `{ changed }` */
export interface ImportRunRequest {
  run: Run;
}

/** `POST /api/cairn/v1/sync/logged-models/import` → `{ changed }` (after the runs that output it) */
export interface ImportLoggedModelRequest {
  model: LoggedModel;
}

/** `GET /api/cairn/v1/sync/runs/{run_id}/metric-counts` */
export interface MetricCountsResponse {
  counts: Record<string, number>;
}

/**
 * `POST /api/cairn/v1/sync/runs/{run_id}/metrics`: points `offset…offset+n-1` of one key's history.
 * The server appends only the ones it does not hold yet, so resending is harmless.
 */
export interface AppendHistoryRequest {
  key: string;
  offset: number;
  points: Omit<Metric, 'key'>[];
}
export interface AppendHistoryResponse {
  appended: number;
  count: number;
}
