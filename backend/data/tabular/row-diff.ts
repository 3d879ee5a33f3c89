import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { TabularFormat } from '../../api/data';
import { forEachParquetRow, openParquet } from './parquet';
import { readDelimited, readJsonLines } from './readers';

/** Row-level comparison reads both tables whole; beyond these sizes only counts and stats are compared. */
export const ROW_DIFF_MAX_BYTES = 128 << 20;
export const ROW_DIFF_MAX_ROWS = 1_000_000;

/** Each row's fingerprint → how many times it occurs; undefined when the table is too large to compare. */
export async function rowMultiset(file: string, format: TabularFormat): Promise<Map<string, number> | undefined> {
  if (fs.statSync(file).size > ROW_DIFF_MAX_BYTES) return undefined;
  const counts = new Map<string, number>();
  const add = (text: string) => {
    const key = createHash('md5').update(text).digest('base64');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  const limit = { maxRows: ROW_DIFF_MAX_ROWS };
  let complete: boolean;
  if (format === 'parquet') {
    complete = await forEachParquetRow(await openParquet(file), (values) => add(JSON.stringify(values, bigintSafe)), ROW_DIFF_MAX_ROWS);
  } else if (format === 'jsonl') {
    complete = !(await readJsonLines(file, (v) => add(JSON.stringify(v)), limit)).truncated;
  } else {
    complete = !(await readDelimited(file, format === 'tsv' ? '\t' : ',', () => {}, (cells) => add(cells.join('\x1f')), limit)).truncated;
  }
  return complete ? counts : undefined;
}

/** Rows in `b` not in `a` (added) and in `a` not in `b` (removed), counting duplicates. */
export function compareRows(a: Map<string, number>, b: Map<string, number>): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const [k, n] of b) added += Math.max(0, n - (a.get(k) ?? 0));
  for (const [k, n] of a) removed += Math.max(0, n - (b.get(k) ?? 0));
  return { added, removed };
}

const bigintSafe = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
