import * as fs from 'node:fs';
import type { ColumnSummary, TabularFormat, TabularSummary } from '../../api/data';
import { addCsvCell, ColumnProfiler } from './column-profiler';
import { openParquet, profileParquetFromFooter, profileParquetFully } from './parquet';
import { countLines, readDelimited, readJsonLines } from './readers';

export interface ProfileOptions {
  /** Text files larger than this are profiled on their first `sampleRows` rows (rows are still all counted). */
  fullProfileBytes?: number;
  sampleRows?: number;
  /** Parquet files with more rows than this are described from their footer statistics only. */
  fullParquetRows?: number;
}

// Profiling parses every row (tens of MB/s); these bounds keep `cairn data add` of a big table within seconds.
const DEFAULTS: Required<ProfileOptions> = { fullProfileBytes: 64 << 20, sampleRows: 200_000, fullParquetRows: 1_000_000 };

/** Schema, row count and per-column statistics of a table file. */
export async function profileTable(file: string, format: TabularFormat, options: ProfileOptions = {}): Promise<TabularSummary> {
  const opts = { ...DEFAULTS, ...options };
  if (format === 'parquet') {
    const pq = await openParquet(file);
    const columns = pq.rows <= opts.fullParquetRows ? await profileParquetFully(pq) : profileParquetFromFooter(pq);
    return { format, rows: pq.rows, columns };
  }
  const limit = fs.statSync(file).size > opts.fullProfileBytes ? { maxRows: opts.sampleRows } : {};
  const { columns, rows, truncated } = format === 'jsonl' ? await profileJsonl(file, limit) : await profileDelimited(file, format === 'tsv' ? '\t' : ',', limit);
  if (!truncated) return { format, rows, columns };
  const lines = await countLines(file);
  return { format, rows: format === 'jsonl' ? lines : Math.max(0, lines - 1), columns, sampled_rows: rows };
}

async function profileDelimited(file: string, delimiter: string, limit: { maxRows?: number }) {
  let profilers: ColumnProfiler[] = [];
  const result = await readDelimited(
    file,
    delimiter,
    (names) => (profilers = uniqueNames(names).map((n) => new ColumnProfiler(n))),
    (cells) => {
      for (let i = profilers.length; i < cells.length; i++) profilers.push(new ColumnProfiler(`_${i + 1}`));
      for (let i = 0; i < profilers.length; i++) addCsvCell(profilers[i]!, cells[i]);
    },
    limit,
  );
  return { ...result, columns: profilers.map((p) => p.summary()) };
}

async function profileJsonl(file: string, limit: { maxRows?: number }) {
  const profilers = new Map<string, ColumnProfiler>();
  let rows = 0;
  const result = await readJsonLines(
    file,
    (value) => {
      const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
      for (const key of Object.keys(record)) {
        if (!profilers.has(key)) {
          const p = new ColumnProfiler(key);
          for (let i = 0; i < rows; i++) p.addNull(); // absent in earlier rows
          profilers.set(key, p);
        }
      }
      for (const [key, p] of profilers) p.addValue(record[key]);
      rows++;
    },
    limit,
  );
  const columns: ColumnSummary[] = [...profilers.values()].map((p) => p.summary());
  return { ...result, columns };
}

/** Header names made unique (`a`, `a_2`) and non-empty (`_3`). */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw, i) => {
    const base = raw.trim() === '' ? `_${i + 1}` : raw;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  });
}
