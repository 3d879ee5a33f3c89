/** The postMessage envelope between a VS Code webview and the extension host. */
import type { DeliveredEvent } from '../../backend/api/cairn';
import type { HostActions, HostRequests } from './host';

export type RequestMessage = {
  [M in keyof HostRequests]: { kind: 'request'; id: number; method: M; args: Parameters<HostRequests[M]> };
}[keyof HostRequests];

export type ActionMessage = {
  [A in keyof HostActions]: { kind: 'action'; action: A; args: Parameters<HostActions[A]> };
}[keyof HostActions];

/** Webview → extension. */
export type WebviewToHost = RequestMessage | ActionMessage | { kind: 'ready' };

/** Extension → webview. */
export type HostToWebview =
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: string }
  | { kind: 'event'; event: DeliveredEvent }
  | { kind: 'resync' };

export type ResultOf<M extends keyof HostRequests> = Awaited<ReturnType<HostRequests[M]>>;
