import type { CairnClient } from '../client/cairn-client';

const KEEP_CHARS = 64 * 1024;
const MAX_LINES = 200;

/**
 * Streams the tail of a run's output to the backend (`log.tail` events) about once a second:
 * only the newest lines of each interval are sent (the full log is an artifact). Best effort:
 * while the backend is unreachable the tail is simply not sent.
 */
export class LogTailStreamer {
  private pending = '';
  private timer: NodeJS.Timeout | undefined;
  private sending = false;

  constructor(
    private readonly runId: string,
    private readonly client: () => CairnClient | undefined,
    private readonly intervalMs = 1000,
  ) {}

  push(text: string): void {
    this.pending += text;
    if (this.pending.length > KEEP_CHARS * 2) this.pending = this.pending.slice(-KEEP_CHARS);
  }

  start(): void {
    this.timer = setInterval(() => void this.send(), this.intervalMs);
    this.timer.unref();
  }

  /** Sends what is pending now (including an unterminated last line when `final`). */
  async send(final = false): Promise<void> {
    if (this.sending) return;
    const cut = final ? this.pending.length : this.pending.lastIndexOf('\n') + 1;
    if (cut <= 0) return;
    const text = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    const lines = text.replace(/\n$/, '').split('\n').slice(-MAX_LINES).map((l) => l.slice(l.lastIndexOf('\r', l.length - 2) + 1).replace(/\r$/, ''));
    const client = this.client();
    if (!client || lines.length === 0) return;
    this.sending = true;
    try {
      await client.postLogTail(this.runId, lines);
    } catch {
      // best effort
    } finally {
      this.sending = false;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.send(true);
  }
}
