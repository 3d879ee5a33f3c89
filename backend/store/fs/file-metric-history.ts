import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Metric } from '../../api/mlflow';
import { invalidParam } from '../../core/errors';
import type { MetricHistoryStore, MetricSeries } from '../metric-history';
import { GrowableSeries } from './growable-series';
import { RECORD, encodeKeyDef, encodePoints, scan } from './metric-file';

const RUN_ID = /^[A-Za-z0-9][\w-]{0,255}$/;

interface RunFile {
  file: string;
  keys: string[];
  keyIndex: Map<string, number>;
  size: number;
  handle: fs.promises.FileHandle | undefined;
  /** Appends to one run are serialised: records must land in order. */
  chain: Promise<void>;
  pending: number;
  /** Decoded columns up to `cachedBytes`, filled on read and extended from the file's tail. */
  series: Map<number, GrowableSeries> | undefined;
  cachedBytes: number;
  cachedPoints: number;
  lastUsed: number;
}

export interface FileMetricHistoryOptions {
  fsync?: boolean;
  maxOpenFiles?: number;
  /** Decoded points kept in memory across runs for fast reads. */
  maxCachedPoints?: number;
}

/** Metric histories as one append-only binary file per run (format in metric-file.ts). */
export class FileMetricHistoryStore implements MetricHistoryStore {
  private readonly runs = new Map<string, RunFile>();
  private readonly fsync: boolean;
  private readonly maxOpen: number;
  private readonly maxCached: number;
  private openCount = 0;
  private readonly madeDirs = new Set<string>();
  private cachedPoints = 0;
  private clock = 0;

  constructor(
    private readonly root: string,
    opts: FileMetricHistoryOptions = {},
  ) {
    this.fsync = opts.fsync ?? true;
    this.maxOpen = opts.maxOpenFiles ?? 256;
    this.maxCached = opts.maxCachedPoints ?? 4_000_000;
    fs.mkdirSync(root, { recursive: true });
  }

  async append(runId: string, points: Metric[]): Promise<void> {
    if (points.length === 0) return;
    const run = this.run(runId);
    run.pending++;
    const work = run.chain.then(() => this.write(run, points));
    run.chain = work.catch(() => {});
    return work.finally(() => {
      run.pending--;
    });
  }

  async read(runId: string, key: string): Promise<MetricSeries> {
    const run = this.run(runId);
    await run.chain;
    this.refreshCache(run);
    const idx = run.keyIndex.get(key);
    const s = idx === undefined ? undefined : run.series?.get(idx);
    return s ? s.view() : { step: new Float64Array(0), timestamp: new Float64Array(0), value: new Float64Array(0) };
  }

  async keys(runId: string): Promise<string[]> {
    const run = this.run(runId);
    await run.chain;
    return [...run.keys];
  }

  async close(): Promise<void> {
    await Promise.all([...this.runs.values()].map((r) => r.chain));
    await Promise.all([...this.runs.values()].map((r) => this.closeHandle(r)));
    this.runs.clear();
  }

  private run(runId: string): RunFile {
    if (!RUN_ID.test(runId)) throw invalidParam(`Invalid run id '${runId}'.`);
    let run = this.runs.get(runId);
    if (!run) {
      const file = path.join(this.root, runId.slice(0, 2), `${runId}.bin`);
      run = { file, keys: [], keyIndex: new Map(), size: 0, handle: undefined, chain: Promise.resolve(), pending: 0, series: undefined, cachedBytes: 0, cachedPoints: 0, lastUsed: 0 };
      this.load(run);
      this.runs.set(runId, run);
    }
    run.lastUsed = ++this.clock;
    return run;
  }

  /** Reads an existing file once: its keys, and its size after cutting any torn tail. */
  private load(run: RunFile): void {
    if (!fs.existsSync(run.file)) return;
    const buf = fs.readFileSync(run.file);
    const valid = scan(buf, { key: (name) => this.addKey(run, name), point: () => {} });
    if (valid !== buf.length) fs.truncateSync(run.file, valid);
    run.size = valid;
  }

  private addKey(run: RunFile, name: string): number {
    const idx = run.keys.length;
    run.keys.push(name);
    run.keyIndex.set(name, idx);
    return idx;
  }

  private async write(run: RunFile, points: Metric[]): Promise<void> {
    const defs: Buffer[] = [];
    const encoded = points.map((p) => {
      let keyIndex = run.keyIndex.get(p.key);
      if (keyIndex === undefined) {
        keyIndex = this.addKey(run, p.key);
        defs.push(encodeKeyDef(p.key));
      }
      return { keyIndex, step: p.step, timestamp: p.timestamp, value: p.value };
    });
    const defBytes = defs.reduce((n, b) => n + b.length, 0);
    const buf = Buffer.allocUnsafe(defBytes + encoded.length * RECORD);
    let at = 0;
    for (const d of defs) at += d.copy(buf, at);
    encodePoints(encoded, buf, at);
    const fh = await this.handle(run);
    let written = 0;
    while (written < buf.length) written += (await fh.write(buf, written, buf.length - written, run.size + written)).bytesWritten;
    if (this.fsync) await fh.datasync();
    run.size += buf.length;
  }

  private async handle(run: RunFile): Promise<fs.promises.FileHandle> {
    if (run.handle === undefined) {
      if (this.openCount >= this.maxOpen) this.evictHandles();
      const dir = path.dirname(run.file);
      if (!this.madeDirs.has(dir)) {
        await fs.promises.mkdir(dir, { recursive: true });
        this.madeDirs.add(dir);
      }
      run.handle = await fs.promises.open(run.file, 'a+');
      this.openCount++;
    }
    return run.handle;
  }

  private async closeHandle(run: RunFile): Promise<void> {
    const fh = run.handle;
    if (fh === undefined) return;
    run.handle = undefined;
    this.openCount--;
    await fh.close();
  }

  private evictHandles(): void {
    const idle = [...this.runs.values()].filter((r) => r.handle !== undefined && r.pending === 0).sort((a, b) => a.lastUsed - b.lastUsed);
    for (const r of idle.slice(0, Math.max(1, idle.length >> 2))) void this.closeHandle(r);
  }

  private refreshCache(run: RunFile): void {
    if (run.cachedBytes >= run.size) return;
    const len = run.size - run.cachedBytes;
    const buf = Buffer.allocUnsafe(len);
    const fd = fs.openSync(run.file, 'r');
    try {
      let got = 0;
      while (got < len) {
        const n = fs.readSync(fd, buf, got, len - got, run.cachedBytes + got);
        if (n === 0) break;
        got += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    run.series ??= new Map();
    const series = run.series;
    let added = 0;
    let keyCount = 0;
    const consumed = scan(buf, {
      key: () => keyCount++,
      point: (idx, step, ts, value) => {
        let s = series.get(idx);
        if (!s) series.set(idx, (s = new GrowableSeries()));
        s.push(step, ts, value);
        added++;
      },
    });
    run.cachedBytes += consumed;
    run.cachedPoints += added;
    this.cachedPoints += added;
    if (this.cachedPoints > this.maxCached) this.evictCaches(run);
  }

  private evictCaches(keep: RunFile): void {
    const cached = [...this.runs.values()].filter((r) => r !== keep && r.series).sort((a, b) => a.lastUsed - b.lastUsed);
    for (const r of cached) {
      if (this.cachedPoints <= this.maxCached) break;
      this.cachedPoints -= r.cachedPoints;
      r.series = undefined;
      r.cachedBytes = 0;
      r.cachedPoints = 0;
    }
  }
}
