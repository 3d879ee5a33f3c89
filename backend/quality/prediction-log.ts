// A deployment's prediction log and feedback labels as monitoring sees them, read through the
// serving engine's own readers. Only the fields monitoring needs are typed here.
import { readFeedback, readPredictions } from '../serving/prediction-log';

export interface LoggedPrediction {
  id: string;
  time: number;
  version?: string;
  inputs: Record<string, unknown>[];
  outputs: Record<string, unknown>[];
}

export interface LoggedFeedback {
  request_id: string;
  time: number;
  labels: unknown[];
}

/** Where monitoring reads a deployment's traffic from. */
export interface PredictionLogSource {
  readonly description: string;
  predictions(window?: { start?: number; end?: number }): AsyncIterable<LoggedPrediction>;
  feedback(): Promise<LoggedFeedback[]>;
}

export class PredictionLogDir implements PredictionLogSource {
  constructor(readonly dir: string) {}

  get description(): string {
    return this.dir;
  }

  async *predictions(window: { start?: number; end?: number } = {}): AsyncIterable<LoggedPrediction> {
    for await (const rec of readPredictions(this.dir, { since: window.start })) {
      if (window.end === undefined || rec.time < window.end) yield rec;
    }
  }

  feedback(): Promise<LoggedFeedback[]> {
    return readFeedback(this.dir);
  }
}

/** The prediction of an output row: its only field, else `prediction`/`predictions`/`output`. */
export function predictionOf(row: Record<string, unknown>, field?: string): unknown {
  if (field) return row[field];
  const keys = Object.keys(row);
  if (keys.length === 1) return row[keys[0]!];
  for (const k of ['prediction', 'predictions', 'output', 'label', 'predicted_label']) if (k in row) return row[k];
  return undefined;
}

/** Class probabilities of an output row, if it carries them (`probabilities`/`proba`/`probability`). */
export function probabilitiesOf(row: Record<string, unknown>, field?: string): Record<string, number> | number | undefined {
  const v = field ? row[field] : (row['probabilities'] ?? row['proba'] ?? row['probability']);
  if (typeof v === 'number') return v;
  if (Array.isArray(v)) return Object.fromEntries(v.map((p, i) => [String(i), Number(p)]));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, p]) => [k, Number(p)]));
  return undefined;
}
