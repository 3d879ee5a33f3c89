// Reading a deployment's prediction log and feedback labels. The layout is the serving engine's:
// <dir>/predictions-NNNNNN.jsonl (one record per request, rows in `inputs`/`outputs`) and
// <dir>/feedback.jsonl (labels per request). Only the fields monitoring needs are typed here.
import * as fs from 'node:fs';
import * as path from 'node:path';

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

async function* jsonLines<T>(file: string): AsyncGenerator<T> {
  let rest = '';
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8' })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop()!;
    for (const l of lines) {
      if (!l) continue;
      try {
        yield JSON.parse(l) as T;
      } catch {
        // a torn line (crash mid-write) is skipped
      }
    }
  }
  if (rest) {
    try {
      yield JSON.parse(rest) as T;
    } catch {
      // torn tail
    }
  }
}

export class PredictionLogDir implements PredictionLogSource {
  constructor(readonly dir: string) {}

  get description(): string {
    return this.dir;
  }

  async *predictions(window: { start?: number; end?: number } = {}): AsyncIterable<LoggedPrediction> {
    if (!fs.existsSync(this.dir)) return;
    const segments = fs
      .readdirSync(this.dir)
      .filter((f) => /^predictions-\d+\.jsonl$/.test(f))
      .sort();
    for (const f of segments) {
      for await (const rec of jsonLines<LoggedPrediction>(path.join(this.dir, f))) {
        if (window.start !== undefined && rec.time < window.start) continue;
        if (window.end !== undefined && rec.time >= window.end) continue;
        yield rec;
      }
    }
  }

  async feedback(): Promise<LoggedFeedback[]> {
    const file = path.join(this.dir, 'feedback.jsonl');
    const out: LoggedFeedback[] = [];
    if (fs.existsSync(file)) for await (const r of jsonLines<LoggedFeedback>(file)) out.push(r);
    return out;
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
