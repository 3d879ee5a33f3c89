import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FeedbackRecord, PredictionRecord } from '../api/serving';

const SEGMENT_BYTES = 64 * 1024 * 1024;
const FLUSH_MS = 50;
const MAX_PENDING = 10_000;

export const PREDICTIONS_FILE_PREFIX = 'predictions-';

/** Where a deployment's log lives: `<store>/predictions/<deployment>` (pass `<store>/predictions`). */
export const predictionLogDir = (predictionsRoot: string, deployment: string): string => path.join(predictionsRoot, deployment);
export const FEEDBACK_FILE = 'feedback.jsonl';

/**
 * A deployment's append-only prediction log: `<dir>/predictions-000001.jsonl`, … (a new segment
 * every 64 MiB), one PredictionRecord per line. Records are queued and written in groups off the
 * request path, each group fdatasync'ed; if the queue is full, records are dropped and counted —
 * logging never slows inference down. Feedback goes to `<dir>/feedback.jsonl`, synchronously durable.
 */
export class PredictionLog {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private segment: number;
  private segmentSize: number;
  dropped = 0;
  written = 0;

  constructor(
    readonly dir: string,
    private readonly fsync = true,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    const segments = listSegments(dir);
    this.segment = segments.length ? segments[segments.length - 1]!.n : 1;
    this.segmentSize = segments.length ? fs.statSync(segments[segments.length - 1]!.file).size : 0;
  }

  append(rec: PredictionRecord): void {
    if (this.pending.length >= MAX_PENDING) {
      this.dropped++;
      return;
    }
    this.pending.push(JSON.stringify(rec));
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, FLUSH_MS);
  }

  /** Writes what is queued; resolves when it is on disk. */
  flush(): Promise<void> {
    const lines = this.pending;
    this.pending = [];
    if (lines.length === 0) return this.writing;
    this.writing = this.writing.then(() => this.write(lines)).catch(() => {
      this.dropped += lines.length;
    });
    return this.writing;
  }

  async appendFeedback(rec: FeedbackRecord): Promise<void> {
    const fh = await fs.promises.open(path.join(this.dir, FEEDBACK_FILE), 'a');
    try {
      await fh.write(JSON.stringify(rec) + '\n');
      if (this.fsync) await fh.datasync();
    } finally {
      await fh.close();
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async write(lines: string[]): Promise<void> {
    const text = lines.join('\n') + '\n';
    if (this.segmentSize > 0 && this.segmentSize + text.length > SEGMENT_BYTES) {
      this.segment++;
      this.segmentSize = 0;
    }
    const fh = await fs.promises.open(segmentFile(this.dir, this.segment), 'a');
    try {
      await fh.write(text);
      if (this.fsync) await fh.datasync();
    } finally {
      await fh.close();
    }
    this.segmentSize += Buffer.byteLength(text);
    this.written += lines.length;
  }
}

const segmentFile = (dir: string, n: number) => path.join(dir, `${PREDICTIONS_FILE_PREFIX}${String(n).padStart(6, '0')}.jsonl`);

function listSegments(dir: string): { n: number; file: string }[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^predictions-(\d+)\.jsonl$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ n: Number(m[1]), file: path.join(dir, m[0]) }))
    .sort((a, b) => a.n - b.n);
}

/**
 * Reads a deployment's prediction log in order (for the monitoring engine and the API), streaming
 * segment by segment; a torn last line (a crash mid-write) is skipped.
 */
export async function* readPredictions(dir: string, opts: { since?: number } = {}): AsyncGenerator<PredictionRecord> {
  if (!fs.existsSync(dir)) return;
  for (const { file } of listSegments(dir)) {
    for await (const rec of readJsonLines<PredictionRecord>(file)) if (opts.since === undefined || rec.time >= opts.since) yield rec;
  }
}

export async function readFeedback(dir: string): Promise<FeedbackRecord[]> {
  const out: FeedbackRecord[] = [];
  const file = path.join(dir, FEEDBACK_FILE);
  if (fs.existsSync(file)) for await (const r of readJsonLines<FeedbackRecord>(file)) out.push(r);
  return out;
}

async function* readJsonLines<T>(file: string): AsyncGenerator<T> {
  let rest = '';
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8' })) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    for (const l of lines) {
      if (!l) continue;
      try {
        yield JSON.parse(l) as T;
      } catch {
        // a torn line is skipped
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
