import type { Metric } from '../api/mlflow';

/** One run's history of one metric, in logging order, as columns. */
export interface MetricSeries {
  step: Float64Array;
  timestamp: Float64Array;
  value: Float64Array;
}

/**
 * Append-only metric histories, kept out of the metadata database so their volume never enters
 * its snapshots. Metrics are never overwritten.
 */
export interface MetricHistoryStore {
  /** Appends points to a run's history; resolves once they are durable. */
  append(runId: string, points: Metric[]): Promise<void>;
  read(runId: string, key: string): Promise<MetricSeries>;
  keys(runId: string): Promise<string[]>;
  close(): Promise<void>;
}
