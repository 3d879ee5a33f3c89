import type { DeliveredEvent } from '../../backend/api/cairn';

export interface EventStream {
  events: DeliveredEvent[];
  /** Resolves once an event matching `pred` arrived (rejects after `timeoutMs`). */
  waitFor(pred: (e: DeliveredEvent) => boolean, timeoutMs?: number): Promise<DeliveredEvent>;
  close(): Promise<void>;
}

/** Opens `GET /api/cairn/v1/events` and collects the events as they arrive. */
export async function openEventStream(url: string, headers: Record<string, string>, query = ''): Promise<EventStream> {
  const ctrl = new AbortController();
  const res = await fetch(`${url}/api/cairn/v1/events${query}`, { headers, signal: ctrl.signal });
  if (res.status !== 200 || !res.body) throw new Error(`event stream refused: HTTP ${res.status} ${await res.text()}`);
  const events: DeliveredEvent[] = [];
  const waiters = new Set<() => void>();
  const reader = res.body.getReader();
  const reading = (async () => {
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += Buffer.from(value).toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const data = buf.slice(0, i).split('\n').find((l) => l.startsWith('data: '));
        buf = buf.slice(i + 2);
        if (data) {
          events.push(JSON.parse(data.slice(6)) as DeliveredEvent);
          waiters.forEach((w) => w());
        }
      }
    }
  })().catch(() => {});
  return {
    events,
    waitFor: (pred, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.find(pred);
          if (!hit) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.type))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: async () => {
      ctrl.abort();
      await reading;
    },
  };
}
