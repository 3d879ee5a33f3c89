// Drift reports kept durably: each report is a JSON object in the content-addressed object store,
// and an append-only index (one JSON line per report, fsynced) lists them in order.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DriftReport, DriftReportSummary, StoredDriftReport } from '../api/drift';
import { CairnError } from '../core/errors';
import { newRunId as newId } from '../core/ids';
import { toWireJson } from '../core/wire';
import type { ObjectStore } from '../store/object-store';

interface IndexLine extends DriftReportSummary {
  hash: string;
}

export class DriftReportStore {
  private readonly indexFile: string;
  private index: IndexLine[] | undefined;
  private indexedBytes = -1;

  constructor(
    dir: string,
    private readonly objects: ObjectStore,
    private readonly fsync = true,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    this.indexFile = path.join(dir, 'reports.jsonl');
  }

  private load(): IndexLine[] {
    // re-read when another writer (the monitor scheduler) appended
    const size = fs.existsSync(this.indexFile) ? fs.statSync(this.indexFile).size : 0;
    if (this.index && size === this.indexedBytes) return this.index;
    this.indexedBytes = size;
    const text = size ? fs.readFileSync(this.indexFile, 'utf8') : '';
    this.index = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        this.index.push(JSON.parse(line) as IndexLine);
      } catch {
        // a torn last line (crash mid-append) was never acknowledged
      }
    }
    return this.index;
  }

  async add(report: DriftReport, monitor?: string): Promise<StoredDriftReport> {
    const stored: StoredDriftReport = { id: newId(), created: Date.now(), ...(monitor ? { monitor } : {}), ...report };
    const obj = await this.objects.put(Buffer.from(toWireJson(stored)));
    const line: IndexLine = {
      id: stored.id,
      created: stored.created,
      dataset_drift: report.dataset_drift,
      number_of_columns: report.number_of_columns,
      number_of_drifted_columns: report.number_of_drifted_columns,
      share_of_drifted_columns: report.share_of_drifted_columns,
      reference: report.reference.source,
      current: report.current.source,
      ...(monitor ? { monitor } : {}),
      hash: obj.hash,
    };
    const fd = fs.openSync(this.indexFile, 'a');
    try {
      fs.writeSync(fd, JSON.stringify(line) + '\n');
      if (this.fsync) fs.fdatasyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    this.index = undefined;
    return stored;
  }

  list(opts: { monitor?: string; limit?: number } = {}): DriftReportSummary[] {
    const rows = this.load().filter((l) => !opts.monitor || l.monitor === opts.monitor);
    return rows
      .slice(-(opts.limit ?? 100))
      .reverse()
      .map(({ hash: _hash, ...summary }) => summary);
  }

  async get(id: string): Promise<StoredDriftReport> {
    const line = this.load().find((l) => l.id === id);
    if (!line) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `No drift report with id '${id}'.`);
    const chunks: Buffer[] = [];
    for await (const c of await this.objects.get(line.hash)) chunks.push(c as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as StoredDriftReport;
  }
}
