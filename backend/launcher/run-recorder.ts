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
  private metrics: WireMetric[] = [];
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
    this.metrics.push({ key, value: writeDouble(value), timestamp, step });
    this.metricCount++;
    if (this.metrics.length >= MAX_METRICS) this.flushMetrics();
  }

  flushMetrics(): void {
    if (this.metrics.length === 0) return;
    const batch = this.metrics;
    this.metrics = [];
    this.delivery.enqueue({ kind: 'json', method: 'POST', path: LOG_BATCH, body: { run_id: this.runId, metrics: batch } });
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
