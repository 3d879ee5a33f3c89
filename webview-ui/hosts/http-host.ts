/**
 * The Host of the standalone dashboard: the same requests over HTTP with the typed client (the
 * `cairn_token` cookie authenticates), one SSE subscription, and actions as dashboard routes.
 */
import type { DeliveredEvent } from '../../backend/api/cairn';
import { CairnClient } from '../../backend/client/cairn-client';
import { EventStream } from '../../backend/client/event-stream';
import type { Host } from '../protocol/host';
import { requestsOverClient } from './client-requests';
import { routeHref } from '../app/routes';

export function createHttpHost(baseUrl = location.origin): Host {
  const client = new CairnClient({ url: baseUrl });
  const listeners = new Set<(e: DeliveredEvent) => void>();
  const resyncs = new Set<() => void>();
  let stream: EventStream | undefined;
  const ensureStream = () => {
    let opened = false;
    stream ??= new EventStream(client, {
      onEvent: (e) => listeners.forEach((l) => l(e)),
      onResync: () => resyncs.forEach((l) => l()),
      onState: (s) => {
        if (s !== 'open') return;
        if (opened) resyncs.forEach((l) => l());
        opened = true;
      },
    }).start();
  };
  const go = (href: string) => {
    location.hash = href.slice(1);
  };
  return {
    kind: 'browser',
    ...requestsOverClient(client),
    openRun: (runId) => go(routeHref({ view: 'run', runId })),
    compareRuns: (runIds) => go(routeHref({ view: 'compare', runIds })),
    diffRuns: (runIds) => go(routeHref({ view: 'compare', runIds })),
    showCodeDiff: (runIds) => go(routeHref({ view: 'run', runId: runIds[0]!, tab: 'code' })),
    openLog: (runId) => go(routeHref({ view: 'run', runId, tab: 'logs' })),
    onEvent(l) {
      ensureStream();
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onResync(l) {
      resyncs.add(l);
      return () => resyncs.delete(l);
    },
    getState<T>(key: string): T | undefined {
      try {
        const v = localStorage.getItem(`cairn:${key}`);
        return v === null ? undefined : (JSON.parse(v) as T);
      } catch {
        return undefined;
      }
    },
    setState<T>(key: string, value: T) {
      try {
        localStorage.setItem(`cairn:${key}`, JSON.stringify(value));
      } catch {
        // storage full or disabled: UI state is not essential
      }
    },
  };
}
