import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { parse as csvParser } from 'csv-parse';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { invalidParam } from '../../core/errors';
import type { Table } from '../protocols/table-input';

/** Reads a table file in chunks of at most `chunkRows` rows, never holding more than one chunk's worth. */
export type TableReader = (file: string, chunkRows: number) => AsyncGenerator<Table>;

export function readerFor(file: string): TableReader {
  const ext = file.toLowerCase().split('.').pop();
  if (ext === 'csv') return readCsv;
  if (ext === 'jsonl' || ext === 'ndjson') return readJsonl;
  if (ext === 'parquet') return readParquet;
  throw invalidParam(`Cannot read '${file}': input files must end in .csv, .jsonl or .parquet.`);
}

async function* readCsv(file: string, chunkRows: number): AsyncGenerator<Table> {
  const parser = fs.createReadStream(file).pipe(csvParser({ skip_empty_lines: true, trim: true }));
  let columns: string[] | undefined;
  let rows: unknown[][] = [];
  for await (const record of parser as AsyncIterable<string[]>) {
    if (!columns) {
      columns = record;
      continue;
    }
    rows.push(record);
    if (rows.length >= chunkRows) {
      yield { columns, rows };
      rows = [];
    }
  }
  if (columns && rows.length) yield { columns, rows };
}

async function* readJsonl(file: string, chunkRows: number): AsyncGenerator<Table> {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let records: Record<string, unknown>[] = [];
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch (err) {
      throw invalidParam(`${file}:${n}: not JSON (${(err as Error).message})`);
    }
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) throw invalidParam(`${file}:${n}: each line must be a JSON object {column: value}.`);
    records.push(rec as Record<string, unknown>);
    if (records.length >= chunkRows) {
      yield recordsToTable(records);
      records = [];
    }
  }
  if (records.length) yield recordsToTable(records);
}

/**
 * Parquet is read one row group at a time (hyparquet decodes whole row groups, so smaller reads
 * would decode each group many times); memory is bounded by the file's largest row group.
 */
async function* readParquet(file: string, chunkRows: number): AsyncGenerator<Table> {
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    const records = (await parquetReadObjects({ file: buffer, metadata, rowStart: start, rowEnd: end, compressors })) as Record<string, unknown>[];
    for (let i = 0; i < records.length; i += chunkRows) yield recordsToTable(records.slice(i, i + chunkRows).map(plainValues));
    start = end;
  }
}

function recordsToTable(records: Record<string, unknown>[]): Table {
  const columns: string[] = [];
  for (const r of records) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  return { columns, rows: records.map((r) => columns.map((c) => r[c])) };
}

/** Parquet INT64 arrives as bigint, dates as Date: JSON-friendly values instead. */
function plainValues(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : v;
  return out;
}
