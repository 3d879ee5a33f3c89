/** The Host inside a VS Code webview: requests and actions travel by postMessage to the extension. */
import type { DeliveredEvent } from '../../backend/api/cairn';
import { HOST_ACTION_NAMES, HOST_REQUEST_NAMES, type Host, type HostActions, type HostRequests } from '../protocol/host';
import type { HostToWebview, WebviewToHost } from '../protocol/messages';

interface VsCodeApi {
  postMessage(m: WebviewToHost): void;
  getState(): Record<string, unknown> | undefined;
  setState(s: Record<string, unknown>): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export function createVsCodeHost(): Host {
  const api = acquireVsCodeApi();
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(e: DeliveredEvent) => void>();
  const resyncs = new Set<() => void>();
  window.addEventListener('message', (ev: MessageEvent<HostToWebview>) => {
    const m = ev.data;
    if (m.kind === 'response') {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.ok) p?.resolve(m.result);
      else p?.reject(new Error(m.error));
    } else if (m.kind === 'event') listeners.forEach((l) => l(m.event));
    else if (m.kind === 'resync') resyncs.forEach((l) => l());
  });
  const requests = Object.fromEntries(
    HOST_REQUEST_NAMES.map((method) => [
      method,
      (...args: unknown[]) =>
        new Promise((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve, reject });
          api.postMessage({ kind: 'request', id, method, args } as WebviewToHost);
        }),
    ]),
  ) as unknown as HostRequests;
  const actions = Object.fromEntries(HOST_ACTION_NAMES.map((action) => [action, (...args: unknown[]) => api.postMessage({ kind: 'action', action, args } as WebviewToHost)])) as unknown as HostActions;
  const host: Host = {
    kind: 'vscode',
    ...requests,
    ...actions,
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onResync(l) {
      resyncs.add(l);
      return () => resyncs.delete(l);
    },
    getState: <T>(key: string) => api.getState()?.[key] as T | undefined,
    setState: <T>(key: string, value: T) => api.setState({ ...(api.getState() ?? {}), [key]: value }),
  };
  api.postMessage({ kind: 'ready' });
  return host;
}
