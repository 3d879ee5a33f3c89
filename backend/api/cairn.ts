/**
 * Types of Cairn's native API (`/api/cairn/v1/…`): what MLflow's API lacks. Imported type-only by
 * the extension and the webviews.
 */
import type { RunStatus } from './mlflow';

/** Change events published on `GET /api/cairn/v1/events` (Server-Sent Events, `data:` is JSON). */
export type ChangeEvent =
  | { type: 'experiment.created' | 'experiment.updated'; experimentId: string }
  | { type: 'run.created'; runId: string; experimentId: string }
  | { type: 'run.updated'; runId: string; experimentId: string; status?: RunStatus; lifecycle?: 'active' | 'deleted' }
  | { type: 'run.data'; runId: string; experimentId: string; params?: string[]; tags?: string[] }
  | { type: 'metrics.appended'; runId: string; experimentId: string; latest: { key: string; value: number | string; step: number; timestamp: number }[]; points: number }
  | { type: 'artifact.written'; runId?: string; path: string }
  | { type: 'log.tail'; runId: string; experimentId: string; lines: string[] }
  | { type: 'model.updated'; name: string; version?: string }
  | { type: 'drift.report'; id: string; dataset_drift: boolean; monitor?: string };

export type ChangeEventType = ChangeEvent['type'];

/** One event as delivered: with the id a client can resume from (`Last-Event-ID`). */
export type DeliveredEvent = ChangeEvent & { id: number; time: number };

/** `GET /api/cairn/v1/runs/{id}/metrics/{key}?max_points=N` */
export interface MetricSeriesResponse {
  run_id: string;
  key: string;
  /** Points in the whole history. */
  total_points: number;
  /** True when buckets were reduced to their first, min, max and last points. */
  downsampled: boolean;
  step: number[];
  timestamp: number[];
  /** Non-finite values travel as "NaN" / "Infinity" / "-Infinity". */
  value: (number | string)[];
}

/** `GET /api/cairn/v1/info` */
export interface ServerInfo {
  version: string;
  store: string;
  pid: number;
  started: number;
  mode: 'local' | 'remote';
}

/** `<store>/server.json`: how clients on this machine find the local server. Mode 0600. */
export interface ServerRecord {
  url: string;
  host: string;
  port: number;
  pid: number;
  token: string;
  started: number;
  version: string;
}
