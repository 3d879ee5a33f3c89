/** Where the extension's backend is: the workspace's local server, or a remote one. */
export type BackendTarget = { kind: 'local'; workspace: string } | { kind: 'remote'; url: string; token: string | undefined };

export type BackendState =
  | { status: 'idle' }
  | { status: 'connecting'; attempt: number }
  | { status: 'connected'; url: string; kind: 'local' | 'remote'; source: string }
  | { status: 'failed'; error: string; retryInMs?: number }
  | { status: 'no-workspace' };

/** Restart delays after the backend dies: 1 s, 2 s, 4 s … capped at 30 s. */
export function backoffMs(attempt: number, baseMs = 1000, maxMs = 30_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
