import { parseArgs } from 'node:util';
import type { ColumnSummary, DataDiffReport, FileChange } from '../../../api/data';
import { diffData } from '../../../data/diff';
import { UsageError, type Command } from '../../command';
import { currentWorkspace, printJson, say } from '../../data-context';
import { formatBytes } from '../../progress-line';

const FILES_MAX = 50;

export const dataDiffCommand: Command = {
  name: 'diff',
  summary: 'Show what changed in tracked data between git revisions (or a revision and the workspace)',
  usage: `cairn data diff PATH [REV_A [REV_B]] [--json]

  REV_A defaults to HEAD and REV_B to the data on disk ('workspace'). Folders: files added, removed
  and changed. CSV/TSV/JSONL/Parquet: row counts, rows added and removed, schema changes and
  per-column statistics.`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true });
    if (positionals.length < 1 || positionals.length > 3) throw new UsageError('expected PATH [REV_A [REV_B]]');
    const ws = await currentWorkspace();
    const report = await diffData(ws, positionals[0]!, positionals[1], positionals[2]);
    if (values.json) return printJson(report), 0;
    printDiff(report);
    return 0;
  },
};

function printDiff(r: DataDiffReport): void {
  say(`${r.path}: ${r.a} ${r.hash_a ? r.hash_a.slice(0, 12) : '(absent)'} → ${r.b} ${r.hash_b ? r.hash_b.slice(0, 12) : '(absent)'}`);
  if (r.identical) return say('  identical');
  if (r.size_a !== undefined || r.size_b !== undefined) say(`  size: ${r.size_a === undefined ? '-' : formatBytes(r.size_a)} → ${r.size_b === undefined ? '-' : formatBytes(r.size_b)}`);
  const counts = { added: 0, removed: 0, changed: 0 };
  for (const f of r.files) counts[f.change]++;
  if (r.files.length > 1 || r.files[0]?.path !== r.path) say(`  files: ${counts.added} added, ${counts.removed} removed, ${counts.changed} changed`);
  for (const f of r.files.slice(0, FILES_MAX)) printFile(f, r.files.length === 1 && f.path === r.path);
  if (r.files.length > FILES_MAX) say(`  … ${r.files.length - FILES_MAX} more (--json lists all)`);
}

function printFile(f: FileChange, single: boolean): void {
  const mark = { added: '+', removed: '-', changed: '~' }[f.change];
  if (!single) say(`  ${mark} ${f.path}${f.change === 'changed' ? `  ${formatBytes(f.size_a ?? 0)} → ${formatBytes(f.size_b ?? 0)}` : ''}`);
  const t = f.tabular;
  if (!t) return;
  const pad = single ? '  ' : '      ';
  if (t.rows_a !== undefined || t.rows_b !== undefined) {
    const delta = t.rows_added !== undefined ? ` (+${t.rows_added} added, -${t.rows_removed} removed)` : '';
    say(`${pad}rows: ${t.rows_a ?? '?'} → ${t.rows_b ?? '?'}${delta}`);
  }
  for (const s of t.schema) say(`${pad}schema: ${s.change === 'type' ? `${s.column} ${s.from} → ${s.to}` : `${s.change} column ${s.column}`}`);
  for (const c of t.columns) {
    if (!c.a || !c.b || sameStats(c.a, c.b)) continue;
    say(`${pad}${c.column}: ${stats(c.a)}  →  ${stats(c.b)}`);
  }
}

const sameStats = (a: ColumnSummary, b: ColumnSummary) => JSON.stringify(a) === JSON.stringify(b);

function stats(c: ColumnSummary): string {
  const parts = [`nulls ${c.nulls}`];
  if (c.distinct !== undefined) parts.push(`distinct ${c.distinct_capped ? '>' : ''}${c.distinct}`);
  if (c.min !== undefined) parts.push(`min ${c.min}`, `max ${c.max}`);
  if (c.mean !== undefined) parts.push(`mean ${c.mean}`, `std ${c.std}`);
  return parts.join(', ');
}
