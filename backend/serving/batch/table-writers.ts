import * as fs from 'node:fs';
import { once } from 'node:events';
import { invalidParam } from '../../core/errors';

/** Writes prediction rows (objects) to a CSV or JSON-lines file, with back-pressure. */
export interface RowWriter {
  write(rows: Record<string, unknown>[]): Promise<void>;
  close(): Promise<void>;
}

export function writerFor(file: string): RowWriter {
  const ext = file.toLowerCase().split('.').pop();
  if (ext === 'csv') return new CsvWriter(file);
  if (ext === 'jsonl' || ext === 'ndjson') return new JsonlWriter(file);
  throw invalidParam(`Cannot write '${file}': output files must end in .csv or .jsonl.`);
}

abstract class StreamWriter implements RowWriter {
  protected readonly out: fs.WriteStream;

  constructor(file: string) {
    this.out = fs.createWriteStream(file);
  }

  abstract write(rows: Record<string, unknown>[]): Promise<void>;

  protected async put(text: string): Promise<void> {
    if (!this.out.write(text)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    this.out.end();
    await once(this.out, 'finish');
  }
}

class JsonlWriter extends StreamWriter {
  async write(rows: Record<string, unknown>[]): Promise<void> {
    await this.put(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
}

class CsvWriter extends StreamWriter {
  private columns: string[] | undefined;

  async write(rows: Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    let text = '';
    if (!this.columns) {
      this.columns = Object.keys(rows[0]!);
      text += this.columns.map(csvCell).join(',') + '\n';
    }
    for (const r of rows) text += this.columns.map((c) => csvCell(r[c])).join(',') + '\n';
    await this.put(text);
  }
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : Array.isArray(v) || typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
