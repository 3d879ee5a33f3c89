import type { DeliveredEvent } from '../api/cairn';
import type { CairnClient } from './cairn-client';
import { SseParser } from './sse-parser';

export type EventStreamState = 'connecting' | 'open' | 'closed';

export interface EventStreamOptions {
  onEvent: (e: DeliveredEvent) => void;
  /** Events were missed (the server's buffer overflowed while we were away): reload everything. */
  onResync?: () => void;
  onState?: (state: EventStreamState, error?: Error) => void;
  /** Query filters of `GET /api/cairn/v1/events`. */
  types?: string[];
  /** Upper bound of the reconnect backoff (default 10 s). */
  maxBackoffMs?: number;
}

/**
 * One live subscription to `GET /api/cairn/v1/events`, read with `fetch` (works in Node, the VS
 * Code extension host and browsers, and sends the client's token). Reconnects with backoff and
 * resumes after the last event id, so nothing is lost across a backend restart within the
 * server's buffer; a gap is reported as a resync.
 */
export class EventStream {
  private abort: AbortController | undefined;
  private lastId: string | undefined;
  private stopped = false;
  private attempt = 0;

  constructor(
    private readonly client: CairnClient,
    private readonly opts: EventStreamOptions,
  ) {}

  start(): this {
    void this.loop();
    return this;
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    this.opts.onState?.('closed');
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let retryMs: number | undefined;
      try {
        this.opts.onState?.('connecting');
        retryMs = await this.connectOnce();
        this.attempt = 0;
      } catch (err) {
        if (this.stopped) return;
        this.opts.onState?.('connecting', err as Error);
      }
      if (this.stopped) return;
      const backoff = Math.min(this.opts.maxBackoffMs ?? 10_000, (retryMs ?? 500) * 2 ** Math.min(this.attempt++, 5));
      await new Promise((r) => setTimeout(r, backoff));
    }
  }

  /** Reads one connection until it ends; returns the server's `retry:` hint. */
  private async connectOnce(): Promise<number | undefined> {
    this.abort = new AbortController();
    const q = new URLSearchParams();
    if (this.opts.types?.length) q.set('types', this.opts.types.join(','));
    const headers = this.client.headers({ Accept: 'text/event-stream', ...(this.lastId ? { 'Last-Event-ID': this.lastId } : {}) });
    const res = await fetch(`${this.client.url}/api/cairn/v1/events${q.size ? `?${q}` : ''}`, { headers, signal: this.abort.signal, cache: 'no-store' });
    if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
    this.opts.onState?.('open');
    const parser = new SseParser();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const msg of parser.push(value)) {
        if (msg.id !== undefined) this.lastId = msg.id;
        if (msg.event === 'resync') {
          this.opts.onResync?.();
          continue;
        }
        try {
          this.opts.onEvent(JSON.parse(msg.data) as DeliveredEvent);
        } catch {
          // a malformed event is dropped; the stream goes on
        }
      }
    }
    return parser.retryMs;
  }
}
