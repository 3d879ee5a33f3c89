import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import { invalidParam } from '../../core/errors';

/**
 * Streaming row readers for the table formats. Each stops after `maxRows` rows (and reports that
 * it stopped) so a huge file can be sampled.
 */
export interface ReadLimit {
  maxRows?: number;
}

export interface ReadResult {
  rows: number;
  /** True when the reader stopped at `maxRows` before the end of the file. */
  truncated: boolean;
}

/** CSV/TSV: the header row, then each record as its cell texts. */
export async function readDelimited(
  file: string,
  delimiter: string,
  onHeader: (names: string[]) => void,
  onRecord: (cells: string[]) => void,
  limit: ReadLimit = {},
): Promise<ReadResult> {
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  const parser = stream.pipe(parseCsv({ delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }));
  let rows = 0;
  let header = true;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (header) {
        onHeader(record);
        header = false;
        continue;
      }
      if (limit.maxRows !== undefined && rows >= limit.maxRows) return { rows, truncated: true };
      onRecord(record);
      rows++;
    }
  } catch (err) {
    throw invalidParam(`${file} is not valid ${delimiter === '\t' ? 'TSV' : 'CSV'}: ${(err as Error).message}`);
  } finally {
    stream.destroy();
  }
  return { rows, truncated: false };
}

/** JSON Lines: each non-empty line as its parsed value. */
export async function readJsonLines(file: string, onRecord: (value: unknown) => void, limit: ReadLimit = {}): Promise<ReadResult> {
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let rows = 0;
  let lineNo = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === '') continue;
      if (limit.maxRows !== undefined && rows >= limit.maxRows) return { rows, truncated: true };
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        throw invalidParam(`${file} line ${lineNo} is not JSON: ${(err as Error).message}`);
      }
      onRecord(value);
      rows++;
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  return { rows, truncated: false };
}

/** Counts lines fast (a large CSV/JSONL beyond the profiled sample). */
export async function countLines(file: string): Promise<number> {
  let n = 0;
  let last = 10;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    let i = -1;
    while ((i = chunk.indexOf(10, i + 1)) >= 0) n++;
    if (chunk.length) last = chunk[chunk.length - 1]!;
  }
  return last === 10 ? n : n + 1;
}
