import * as fs from 'node:fs';
import { parse } from 'csv-parse';
import { CairnError } from '../../core/errors';
import { BATCH_ROWS, type TableBatch, type TableReader } from './table-reader';

/** A CSV file with a header row, streamed (never loaded whole). */
export class CsvReader implements TableReader {
  readonly textCells = true;
  constructor(
    readonly path: string,
    private readonly delimiter = ',',
  ) {}

  get description(): string {
    return this.path;
  }

  async scan(onBatch: (batch: TableBatch) => void): Promise<void> {
    const parser = fs.createReadStream(this.path).pipe(parse({ delimiter: this.delimiter, relax_column_count: true, bom: true }));
    let columns: string[] | undefined;
    let data: string[][] = [];
    let rows = 0;
    const flush = () => {
      if (rows) onBatch({ columns: columns!, rows, data });
      data = columns!.map(() => []);
      rows = 0;
    };
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!columns) {
        columns = record.map((c, i) => c || `Unnamed: ${i}`);
        if (new Set(columns).size !== columns.length) throw new CairnError('INVALID_PARAMETER_VALUE', `${this.path}: duplicate column names in the header.`);
        data = columns.map(() => []);
        continue;
      }
      for (let c = 0; c < columns.length; c++) data[c]!.push(record[c] ?? '');
      if (++rows === BATCH_ROWS) flush();
    }
    if (!columns) throw new CairnError('INVALID_PARAMETER_VALUE', `${this.path}: empty CSV file (no header row).`);
    flush();
  }
}
