import type { KeyValue, RunInfo, RunStatus } from '../api/mlflow';
import { artifactPathOf } from '../client/cairn-client';
import { writeDouble } from '../core/wire';
import type { Delivery } from './delivery';

const LOG_BATCH = '/api/2.0/mlflow/runs/log-batch';
/** MLflow's log-batch limits. */
const MAX_METRICS = 1000;
const MAX_PARAMS = 100;
const MAX_TAGS = 100;
const MAX_PARAM_VALUE = 6000;
const MAX_TAG_VALUE = 8000;

type WireMetric = { key: string; value: number | string; timestamp: number; step: number };

const clip = (v: string, max: number) => (v.length > max ? v.slice(0, max) : v);

/** A key the tracking server accepts: characters outside MLflow's set become `_`, empty path segments go. */
export function safeKey(key: string): string {
  const cleaned = key
    .replace(/[^/\p{L}\p{N}\p{M}_.\- :]/gu, '_')
    .split('/')
    .filter((seg) => seg !== '' && seg !== '.' && seg !== '..')
    .join('/');
  return (cleaned || '_').slice(0, 250);
}

/**
 * Writes one run's data through a Delivery: metrics are batched (up to 1000 per log-batch, at
 * least every `flushMs`), params and tags chunked to MLflow's limits, artifacts uploaded under the
 * run's artifact root, and the final status sent last.
 */
export class RunRecorder {
  /** Pending points by key (insertion order), so a busy key can go out in batches of its own. */
  private pending = new Map<string, WireMetric[]>();
  private pendingCount = 0;
  private timer: NodeJS.Timeout | undefined;
  metricCount = 0;

  constructor(
    readonly run: RunInfo,
    private readonly delivery: Delivery,
    private readonly flushMs = 1000,
  ) {}

  get runId(): string {
    return this.run.run_id;
  }

  start(): void {
    this.timer = setInterval(() => this.flushMetrics(), this.flushMs);
    this.timer.unref();
  }

  metric(key: string, value: number, step: number, timestamp: number): void {
    let list = this.pending.get(key);
    if (!list) this.pending.set(key, (list = []));
    list.push({ key, value: writeDouble(value), timestamp, step });
    this.metricCount++;
    this.pendingCount++;
    // A key that fills a batch alone goes now, as a batch of just that key: batches of different
    // keys may then be in flight together.
    if (list.length >= MAX_METRICS) {
      this.pending.delete(key);
      this.pendingCount -= list.length;
      this.send(list, [key]);
    }
  }

  /** Sends every pending point, packing keys into batches of up to 1000. */
  flushMetrics(): void {
    if (this.pendingCount === 0) return;
    const pending = this.pending;
    this.pending = new Map();
    this.pendingCount = 0;
    let batch: WireMetric[] = [];
    let keys: string[] = [];
    for (const [key, list] of pending) {
      for (let i = 0; i < list.length; ) {
        const take = Math.min(MAX_METRICS - batch.length, list.length - i);
        batch.push(...list.slice(i, i + take));
        if (keys[keys.length - 1] !== key) keys.push(key);
        i += take;
        if (batch.length === MAX_METRICS) {
          this.send(batch, keys);
          batch = [];
          keys = [];
        }
      }
    }
    if (batch.length > 0) this.send(batch, keys);
  }

  private send(metrics: WireMetric[], lane: string[]): void {
    this.delivery.enqueue({ kind: 'json', method: 'POST', path: LOG_BATCH, body: { run_id: this.runId, metrics }, lane });
  }

  params(params: Map<string, string> | Record<string, string>): void {
    const list: KeyValue[] = [...(params instanceof Map ? params : Object.entries(params))].map(([key, value]) => ({ key: safeKey(key), value: clip(value, MAX_PARAM_VALUE) }));
    for (let i = 0; i < list.length; i += MAX_PARAMS) this.delivery.enqueue({ kind: 'json', method: 'POST', path: LOG_BATCH, body: { run_id: this.runId, params: list.slice(i, i + MAX_PARAMS) } });
  }

  tags(tags: Record<string, string | undefined>): void {
    const list: KeyValue[] = Object.entries(tags)
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([key, value]) => ({ key, value: clip(value, MAX_TAG_VALUE) }));
    for (let i = 0; i < list.length; i += MAX_TAGS) this.delivery.enqueue({ kind: 'json', method: 'POST', path: LOG_BATCH, body: { run_id: this.runId, tags: list.slice(i, i + MAX_TAGS) } });
  }

  artifactFile(relPath: string, file: string): void {
    this.delivery.enqueue({ kind: 'artifact', artifactPath: artifactPathOf(this.run, relPath), file });
  }

  artifactData(relPath: string, data: Uint8Array | string): void {
    this.delivery.enqueue({ kind: 'artifact', artifactPath: artifactPathOf(this.run, relPath), data: typeof data === 'string' ? Buffer.from(data) : data });
  }

  /** Flushes metrics, then sets the final status (so a finished run already holds all its data). */
  finish(status: RunStatus, endTime = Date.now()): void {
    this.stop();
    this.delivery.enqueue({ kind: 'json', method: 'POST', path: '/api/2.0/mlflow/runs/update', body: { run_id: this.runId, status, end_time: endTime } });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.flushMetrics();
  }
}
