import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import { BackendError, type CairnClient } from '../client/cairn-client';
import type { Spool, SpoolOp } from './spool';

/** An op as the launcher produces it: artifact bytes come from a file (absolute path) or memory. */
export type PendingOp = Exclude<SpoolOp, { kind: 'artifact' }> | { kind: 'artifact'; artifactPath: string; file: string } | { kind: 'artifact'; artifactPath: string; data: Uint8Array };

export interface DeliveryOptions {
  client: CairnClient;
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
    await client.call(op.method, op.path, op.body);
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
  private readonly queue: PendingOp[] = [];
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
    this.queue.push(op);
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
      const op = this.queue[0];
      if (op === undefined) {
        this.pumping = undefined;
        return;
      }
      try {
        if (!this.online) {
          this.opts.spool.append(op);
          this.stats.spooled++;
        } else {
          await sendOp(this.client, op);
          this.stats.sent++;
        }
        this.queue.shift();
      } catch (err) {
        if (this.online && isTransient(err)) this.goOffline(err as Error);
        else {
          this.queue.shift();
          this.stats.rejected++;
          this.opts.log?.(`a write was dropped: ${(err as Error).message}`);
        }
      }
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
