import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import { BackendError, WireJson, type CairnClient } from '../client/cairn-client';
import type { Spool, SpoolOp } from './spool';

/**
 * An op as the launcher produces it: artifact bytes come from a file (absolute path) or memory.
 * A metrics-only log-batch names its metric keys in `lane`: it may be in flight together with
 * other such ops whose keys differ (each key's points still arrive in order).
 */
export type PendingOp =
  | (Extract<SpoolOp, { kind: 'json' }> & { lane?: string[] })
  | { kind: 'artifact'; artifactPath: string; file: string }
  | { kind: 'artifact'; artifactPath: string; data: Uint8Array };

type Queued = { op: PendingOp; seq: number };

export interface DeliveryOptions {
  client: CairnClient;
  /** Metric batches of different keys sent at once (default 4); everything else goes one at a time. */
  maxInFlight?: number;
  spool: Spool;
  log?: (msg: string) => void;
  /** How often to look for the backend again while it is unreachable (default 1 s). */
  retryMs?: number;
  /** Finds the backend again (a restarted local server may listen elsewhere); undefined: not found. */
  relocate?: () => Promise<CairnClient | undefined>;
}

/** No answer, or an answer that says "try again": the write is kept for later. Anything else is the write's fault. */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof BackendError)) return false;
  return err.code === 'UNREACHABLE' || err.status >= 500 || err.status === 408 || err.status === 429;
}

const STREAM_ABOVE = 8 << 20;

/** Sends one op with `client`. */
export async function sendOp(client: CairnClient, op: PendingOp): Promise<void> {
  if (op.kind === 'json') {
    // Bodies hold wire values already (RunRecorder encodes non-finite numbers): plain JSON.stringify is exact and fast.
    await client.call(op.method, op.path, new WireJson(JSON.stringify(op.body)));
    return;
  }
  if ('data' in op) return client.putArtifact(op.artifactPath, op.data);
  const size = fs.statSync(op.file).size;
  const body = size > STREAM_ABOVE ? (Readable.toWeb(fs.createReadStream(op.file)) as ReadableStream<Uint8Array>) : new Uint8Array(fs.readFileSync(op.file));
  return client.putArtifact(op.artifactPath, body);
}

export interface ReplayResult {
  delivered: number;
  rejected: number;
  /** False when the backend stopped answering part-way (the rest stays in the spool). */
  complete: boolean;
}

/** Delivers a spool's pending ops in order, marking progress after each so nothing is sent twice. */
export async function replaySpool(spool: Spool, client: CairnClient, log: (msg: string) => void = () => {}): Promise<ReplayResult> {
  const ops = spool.pending();
  let done = spool.done();
  const result: ReplayResult = { delivered: 0, rejected: 0, complete: true };
  for (const op of ops) {
    const err = await sendWithRetries(client, op.kind === 'artifact' ? { ...op, file: spool.fileOf(op) } : op);
    if (err === undefined) result.delivered++;
    else if (BackendError.is(err, 'UNREACHABLE')) {
      result.complete = false;
      return result;
    } else {
      // Refused, or failing on a server that otherwise answers: one bad write must not block the rest forever.
      result.rejected++;
      log(`a buffered write was refused by the backend and dropped: ${err.message}`);
    }
    spool.markDone(++done);
  }
  return result;
}

async function sendWithRetries(client: CairnClient, op: PendingOp, attempts = 3): Promise<Error | undefined> {
  for (let i = 1; ; i++) {
    try {
      await sendOp(client, op);
      return undefined;
    } catch (err) {
      if (!isTransient(err) || BackendError.is(err, 'UNREACHABLE') || i >= attempts) return err as Error;
      await new Promise((r) => setTimeout(r, 200 * i));
    }
  }
}

/**
 * Sends writes to the backend strictly in order, one at a time. When the backend stops
 * answering, this and every later write go to the disk spool instead (so order is kept), and the
 * backend is looked for every `retryMs`; once it answers, the spool is replayed and live sending
 * resumes. Writes the backend refuses (4xx) are reported and dropped: retrying cannot fix them.
 */
export class Delivery {
  private client: CairnClient;
  private readonly queue: Queued[] = [];
  private readonly inFlight = new Map<Promise<void>, Queued>();
  private seq = 0;
  private pumping: Promise<void> | undefined;
  private offlineSince: number | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private replaying: Promise<boolean> | undefined;
  readonly stats = { sent: 0, spooled: 0, replayed: 0, rejected: 0, outages: 0 };

  constructor(private readonly opts: DeliveryOptions) {
    this.client = opts.client;
  }

  get online(): boolean {
    return this.offlineSince === undefined;
  }

  get currentClient(): CairnClient {
    return this.client;
  }

  get spoolDir(): string {
    return this.opts.spool.dir;
  }

  enqueue(op: PendingOp): void {
    this.queue.push({ op, seq: this.seq++ });
    this.pumping ??= this.pump();
  }

  /** Resolves once every enqueued op was sent, refused or spooled. */
  async idle(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  /** Looks for the backend now and, if it answers, delivers the spool. True when nothing is left buffered. */
  reconnect(): Promise<boolean> {
    if (this.online) return Promise.resolve(true);
    this.replaying ??= this.tryReplay().finally(() => (this.replaying = undefined));
    return this.replaying;
  }

  close(): void {
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = undefined;
    this.opts.spool.close();
  }

  private async pump(): Promise<void> {
    // Yield first, so `pumping` is set before this loop can end (offline, it never awaits). The
    // empty check and the reset share one synchronous step: an op enqueued after it starts a new pump.
    await Promise.resolve();
    for (;;) {
      const next = this.queue[0];
      if (next === undefined && this.inFlight.size === 0) {
        this.pumping = undefined;
        return;
      }
      if (next === undefined || (this.inFlight.size > 0 && !(this.online && this.mayOverlap(next.op)))) {
        // Wait for a send to settle (a failed one comes back to the queue, in order).
        await Promise.race(this.inFlight.keys());
        continue;
      }
      this.queue.shift();
      if (!this.online) this.spoolOp(next.op);
      else this.start(next);
    }
  }

  /** A metrics batch may overlap sends in flight if they are all metrics batches of other keys. */
  private mayOverlap(op: PendingOp): boolean {
    if (op.kind !== 'json' || !op.lane || this.inFlight.size >= (this.opts.maxInFlight ?? 4)) return false;
    for (const { op: other } of this.inFlight.values()) {
      if (other.kind !== 'json' || !other.lane || other.lane.some((k) => op.lane!.includes(k))) return false;
    }
    return true;
  }

  private start(item: Queued): void {
    const sending = sendOp(this.client, item.op).then(
      () => {
        this.stats.sent++;
      },
      (err: unknown) => {
        if (isTransient(err)) {
          if (this.online) this.goOffline(err as Error);
          // Back to the queue in its original place, to be spooled in order.
          const at = this.queue.findIndex((q) => q.seq > item.seq);
          this.queue.splice(at < 0 ? this.queue.length : at, 0, item);
        } else {
          this.stats.rejected++;
          this.opts.log?.(`the backend refused a write, which is dropped: ${(err as Error).message}`);
        }
      },
    );
    const settled = sending.finally(() => this.inFlight.delete(settled));
    this.inFlight.set(settled, item);
  }

  private spoolOp(op: PendingOp): void {
    try {
      this.opts.spool.append(op.kind === 'json' ? { kind: 'json', method: op.method, path: op.path, body: op.body } : op);
      this.stats.spooled++;
    } catch (err) {
      this.stats.rejected++;
      this.opts.log?.(`a write could not be buffered to disk and is dropped: ${(err as Error).message}`);
    }
  }

  private goOffline(err: Error): void {
    this.offlineSince = Date.now();
    this.stats.outages++;
    this.opts.log?.(`backend unreachable (${err.message}); the run goes on and its data is buffered in ${this.opts.spool.dir}`);
    this.retryTimer = setInterval(() => void this.reconnect(), this.opts.retryMs ?? 1000);
    this.retryTimer.unref();
  }

  private async tryReplay(): Promise<boolean> {
    if (!(await this.answers(this.client))) {
      const moved = await this.opts.relocate?.().catch(() => undefined);
      if (!moved || !(await this.answers(moved))) return false;
      this.client = moved;
    }
    for (;;) {
      const r = await replaySpool(this.opts.spool, this.client, (m) => this.opts.log?.(m));
      this.stats.replayed += r.delivered;
      this.stats.rejected += r.rejected;
      if (!r.complete) return false;
      // Nothing awaits between this check and going online, so no op can slip in between.
      if (this.opts.spool.pending().length === 0) break;
    }
    const seconds = ((Date.now() - this.offlineSince!) / 1000).toFixed(1);
    this.offlineSince = undefined;
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = undefined;
    this.opts.spool.remove();
    this.opts.log?.(`backend reachable again after ${seconds} s; buffered data delivered`);
    return true;
  }

  private async answers(client: CairnClient): Promise<boolean> {
    try {
      await client.health();
      return true;
    } catch {
      return false;
    }
  }
}
