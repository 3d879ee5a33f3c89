import type { ColumnSummary, ColumnType } from '../../api/data';
import { invalidParam } from '../../core/errors';
import { ColumnProfiler } from './column-profiler';

type Hyparquet = typeof import('hyparquet');
type FileMetaData = import('hyparquet').FileMetaData;
type SchemaElement = import('hyparquet').SchemaElement;
type AsyncBuffer = import('hyparquet').AsyncBuffer;

// hyparquet is an ES module; loaded on first use so CLI commands that never read Parquet do not pay for it.
let lib: Promise<Hyparquet> | undefined;
const hyparquet = () => (lib ??= import('hyparquet'));
// Decoders for ZSTD, GZIP, Brotli and LZ4 pages (hyparquet decodes Snappy itself).
let codecs: Promise<import('hyparquet').Compressors> | undefined;
const compressors = () => (codecs ??= import('hyparquet-compressors').then((m) => m.compressors));

export interface ParquetFile {
  file: AsyncBuffer;
  metadata: FileMetaData;
  rows: number;
  /** Top-level columns in schema order. */
  columns: SchemaElement[];
}

export async function openParquet(path: string): Promise<ParquetFile> {
  const hp = await hyparquet();
  const file = await hp.asyncBufferFromFile(path);
  let metadata: FileMetaData;
  try {
    metadata = await hp.parquetMetadataAsync(file);
  } catch (err) {
    throw invalidParam(`${path} is not a Parquet file: ${(err as Error).message}`);
  }
  return { file, metadata, rows: Number(metadata.num_rows), columns: topLevelColumns(metadata.schema) };
}

/** Profiles every column by reading the whole file column chunk by column chunk. */
export async function profileParquetFully(pq: ParquetFile): Promise<ColumnSummary[]> {
  const hp = await hyparquet();
  const profilers = new Map(pq.columns.map((c) => [c.name, new ColumnProfiler(c.name)]));
  for (let g = 0, start = 0; g < pq.metadata.row_groups.length; g++) {
    const end = start + Number(pq.metadata.row_groups[g]!.num_rows);
    await hp.parquetRead({
      compressors: await compressors(),
      file: pq.file,
      metadata: pq.metadata,
      rowStart: start,
      rowEnd: end,
      onChunk: (chunk) => {
        const p = profilers.get(chunk.columnName);
        if (!p) return;
        // A chunk may extend past the requested rows; count only this row group's.
        const from = Math.max(0, start - chunk.rowStart);
        const to = Math.min(chunk.columnData.length, end - chunk.rowStart);
        for (let i = from; i < to; i++) p.addValue(chunk.columnData[i]);
      },
    });
    start = end;
  }
  return pq.columns.map((c) => ({ ...profilers.get(c.name)!.summary(), type: refineType(profilers.get(c.name)!.summary().type, c) }));
}

/** Schema, null counts and min/max from the footer's statistics alone (large files). */
export function profileParquetFromFooter(pq: ParquetFile): ColumnSummary[] {
  return pq.columns.map((c) => {
    const s: ColumnSummary = { name: c.name, type: typeOf(c), nulls: 0 };
    let min: number | string | undefined;
    let max: number | string | undefined;
    for (const rg of pq.metadata.row_groups) {
      const chunk = rg.columns.find((cc) => cc.meta_data?.path_in_schema[0] === c.name);
      const st = chunk?.meta_data?.statistics;
      if (!st) continue;
      s.nulls += Number(st.null_count ?? 0);
      const lo = scalar(st.min_value ?? st.min);
      const hi = scalar(st.max_value ?? st.max);
      if (lo !== undefined && (min === undefined || lo < min)) min = lo;
      if (hi !== undefined && (max === undefined || hi > max)) max = hi;
    }
    if (min !== undefined) s.min = min;
    if (max !== undefined) s.max = max;
    return s;
  });
}

/** Each row as an array of values in schema order, one row group at a time. */
export async function forEachParquetRow(pq: ParquetFile, onRow: (values: unknown[]) => void, maxRows: number): Promise<boolean> {
  const hp = await hyparquet();
  let seen = 0;
  for (let g = 0, start = 0; g < pq.metadata.row_groups.length; g++) {
    const end = start + Number(pq.metadata.row_groups[g]!.num_rows);
    const rows = (await hp.parquetReadObjects({ compressors: await compressors(), file: pq.file, metadata: pq.metadata, rowStart: start, rowEnd: end })) as Record<string, unknown>[];
    for (const r of rows) {
      if (seen++ >= maxRows) return false;
      onRow(pq.columns.map((c) => r[c.name]));
    }
    start = end;
  }
  return true;
}

function topLevelColumns(schema: SchemaElement[]): SchemaElement[] {
  const out: SchemaElement[] = [];
  // schema[0] is the root; walk its direct children, skipping each child's own subtree.
  const skip = (i: number): number => {
    let next = i + 1;
    for (let k = 0; k < (schema[i]!.num_children ?? 0); k++) next = skip(next);
    return next;
  };
  for (let i = 1; i < schema.length; ) {
    out.push(schema[i]!);
    i = skip(i);
  }
  return out;
}

function typeOf(c: SchemaElement): ColumnType {
  if (c.num_children) return 'object';
  const logical = (c.logical_type as { type?: string } | undefined)?.type;
  if (logical === 'DATE' || logical === 'TIMESTAMP' || c.converted_type === 'DATE' || String(c.converted_type).startsWith('TIMESTAMP') || c.type === 'INT96') return 'date';
  if (logical === 'DECIMAL' || c.converted_type === 'DECIMAL') return 'number';
  if (logical === 'STRING' || c.converted_type === 'UTF8' || logical === 'ENUM' || c.converted_type === 'ENUM') return 'string';
  switch (c.type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
    case 'INT64':
      return 'integer';
    case 'FLOAT':
    case 'DOUBLE':
      return 'number';
    default:
      return 'object';
  }
}

/** A fully read column whose values were all null keeps its declared type. */
const refineType = (inferred: ColumnType, c: SchemaElement): ColumnType => (inferred === 'null' ? typeOf(c) : inferred);

function scalar(v: unknown): number | string | undefined {
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  return undefined;
}
