import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { BATCH_ROWS, type TableBatch, type TableReader } from './table-reader';

/** A Parquet file read in slices of rows (any codec), flat columns only. */
export class ParquetReader implements TableReader {
  readonly textCells = false;
  constructor(readonly path: string) {}

  get description(): string {
    return this.path;
  }

  async scan(onBatch: (batch: TableBatch) => void, only?: ReadonlySet<string>): Promise<void> {
    const file = await asyncBufferFromFile(this.path);
    const metadata = await parquetMetadataAsync(file);
    const columns = parquetSchema(metadata)
      .children.filter((c) => c.children.length === 0)
      .map((c) => c.element.name)
      .filter((name) => !only || only.has(name));
    const total = Number(metadata.num_rows);
    for (let start = 0; start < total; start += BATCH_ROWS * 8) {
      const end = Math.min(total, start + BATCH_ROWS * 8);
      const data: ArrayLike<unknown>[] = columns.map(() => []);
      await parquetRead({
        file,
        metadata,
        columns,
        rowStart: start,
        rowEnd: end,
        compressors, // ZSTD, GZIP, BROTLI, LZ4 besides hyparquet's own Snappy
        onChunk: (chunk) => {
          // chunks may start before `start` (a whole page); keep only the requested rows.
          const c = columns.indexOf(chunk.columnName);
          if (c < 0) return;
          const from = Math.max(start, chunk.rowStart);
          const to = Math.min(end, chunk.rowEnd);
          const slice = Array.prototype.slice.call(chunk.columnData, from - chunk.rowStart, to - chunk.rowStart) as unknown[];
          const target = data[c] as unknown[];
          for (let i = 0; i < slice.length; i++) target[from - start + i] = slice[i];
        },
      });
      onBatch({ columns, rows: end - start, data });
    }
  }
}
