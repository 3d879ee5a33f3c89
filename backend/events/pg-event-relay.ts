import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ChangeEvent } from '../api/cairn';
import type { PgDb } from '../store/pg/pg-db';
import type { EventBus } from './event-bus';

/** NOTIFY payloads must stay under 8,000 bytes; bigger events travel through `event_payloads`. */
const MAX_INLINE = 7000;
const PAYLOAD_TTL_MS = 10 * 60_000;
const RECONNECT_MS = 1000;

type Envelope = { from: string; event?: ChangeEvent; ref?: number };

/**
 * Bridges the in-process EventBus of every replica over PostgreSQL LISTEN/NOTIFY, so a client
 * streaming events from one replica sees changes written through any other. Events published
 * here go out on one dedicated connection, in order; events from other replicas are re-published
 * on the local bus (and not sent back out). Event ids stay per replica: a client that reconnects
 * to another replica with `Last-Event-ID` may get a `resync`.
 */
export class PgEventRelay {
  readonly replicaId = randomBytes(6).toString('hex');
  private readonly channel: string;
  private listener: pg.Client | undefined;
  private sender: pg.Client | undefined;
  private queue: Envelope[] = [];
  private flushing: Promise<void> | undefined;
  private relaying = false;
  /** Received events are re-published one after another, in the order they were notified. */
  private receiving: Promise<void> = Promise.resolve();
  private closed = false;
  private unsubscribe: (() => void) | undefined;
  private cleanupTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: PgDb,
    private readonly bus: EventBus,
    private readonly log: (msg: string) => void = () => {},
  ) {
    this.channel = `cairn_events_${db.schema}`;
  }

  async start(): Promise<void> {
    await this.listen();
    this.unsubscribe = this.bus.subscribe((e) => {
      if (this.relaying) return;
      const { id: _id, time: _time, ...event } = e;
      this.queue.push({ from: this.replicaId, event: event as ChangeEvent });
      this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
    });
    this.cleanupTimer = setInterval(() => {
      this.db.query('DELETE FROM event_payloads WHERE at < $1', [Date.now() - PAYLOAD_TTL_MS]).catch(() => {});
    }, PAYLOAD_TTL_MS);
    this.cleanupTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    if (this.cleanupTimer) clearInterval(this.cleanupTimer);
    await this.flushing;
    await Promise.allSettled([this.listener?.end(), this.sender?.end()]);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client(this.db.clientConfig());
    client.on('notification', (msg) => {
      if (msg.channel !== this.channel || !msg.payload) return;
      const payload = msg.payload;
      this.receiving = this.receiving.then(() => this.receive(payload)).catch(() => {});
    });
    client.on('error', (err) => {
      this.log(`event relay: connection lost (${err.message}); reconnecting`);
      this.listener = undefined;
      client.end().catch(() => {});
      this.reconnectLater();
    });
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
    this.listener = client;
  }

  private reconnectLater(): void {
    if (this.closed) return;
    setTimeout(() => {
      if (this.closed) return;
      this.listen().catch((err: Error) => {
        this.log(`event relay: reconnect failed (${err.message})`);
        this.reconnectLater();
      });
    }, RECONNECT_MS).unref();
  }

  private async receive(payload: string): Promise<void> {
    let env: Envelope;
    try {
      env = JSON.parse(payload) as Envelope;
    } catch {
      return;
    }
    if (env.from === this.replicaId) return;
    let event = env.event;
    if (!event && env.ref !== undefined) {
      const row = await this.db.one<{ payload: string }>('SELECT payload FROM event_payloads WHERE id = $1', [env.ref]).catch(() => undefined);
      if (!row) return;
      event = JSON.parse(row.payload) as ChangeEvent;
    }
    if (!event) return;
    this.relaying = true;
    try {
      this.bus.publish(event);
    } finally {
      this.relaying = false;
    }
  }

  /** Sends queued events in order on the sender connection. */
  private async flush(): Promise<void> {
    while (this.queue.length > 0 && !this.closed) {
      const batch = this.queue.splice(0, 100);
      try {
        this.sender ??= await this.connectSender();
        const payloads: string[] = [];
        for (const env of batch) {
          const text = JSON.stringify(env);
          if (Buffer.byteLength(text) <= MAX_INLINE) payloads.push(text);
          else {
            const row = await this.sender.query<{ id: number }>('INSERT INTO event_payloads (at, payload) VALUES ($1, $2) RETURNING id', [Date.now(), JSON.stringify(env.event)]);
            payloads.push(JSON.stringify({ from: env.from, ref: Number(row.rows[0]!.id) }));
          }
        }
        // One row whose columns are evaluated left to right: the notifications keep their order.
        const calls = payloads.map((_, i) => `pg_notify($1, $${i + 2})`).join(', ');
        await this.sender.query(`SELECT ${calls}`, [this.channel, ...payloads]);
      } catch (err) {
        this.log(`event relay: could not send ${batch.length} event(s) to other replicas: ${(err as Error).message}`);
        await this.sender?.end().catch(() => {});
        this.sender = undefined;
      }
    }
  }

  private async connectSender(): Promise<pg.Client> {
    const client = new pg.Client(this.db.clientConfig());
    client.on('error', () => {
      if (this.sender === client) this.sender = undefined;
    });
    await client.connect();
    return client;
  }
}
