import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { CairnError } from '../../core/errors';
import { BATCH_ROWS, type TableBatch, type TableReader } from './table-reader';

/** JSON Lines: one object per line; a key missing from a row is a missing value. */
export class JsonlReader implements TableReader {
  readonly textCells = false;
  constructor(readonly path: string) {}

  get description(): string {
    return this.path;
  }

  async scan(onBatch: (batch: TableBatch) => void): Promise<void> {
    const lines = readline.createInterface({ input: fs.createReadStream(this.path), crlfDelay: Infinity });
    const columns: string[] = [];
    const index = new Map<string, number>();
    let data: unknown[][] = [];
    let rows = 0;
    let lineNo = 0;
    const flush = () => {
      if (rows) onBatch({ columns: [...columns], rows, data });
      data = columns.map(() => []);
      rows = 0;
    };
    for await (const line of lines) {
      lineNo++;
      if (!line.trim()) continue;
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch {
        throw new CairnError('INVALID_PARAMETER_VALUE', `${this.path}:${lineNo}: not valid JSON.`);
      }
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new CairnError('INVALID_PARAMETER_VALUE', `${this.path}:${lineNo}: each line must be a JSON object.`);
      for (const key of Object.keys(obj)) {
        if (!index.has(key)) {
          index.set(key, columns.length);
          columns.push(key);
          data.push(new Array(rows).fill(null));
        }
      }
      for (let c = 0; c < columns.length; c++) data[c]!.push((obj as Record<string, unknown>)[columns[c]!] ?? null);
      if (++rows === BATCH_ROWS) flush();
    }
    flush();
  }
}
