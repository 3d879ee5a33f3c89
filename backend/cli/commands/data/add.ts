import { parseArgs } from 'node:util';
import { addData } from '../../../data/add';
import type { Command } from '../../command';
import { currentWorkspace, printJson, say } from '../../data-context';
import { formatBytes, progressLine } from '../../progress-line';

export const dataAddCommand: Command = {
  name: 'add',
  summary: 'Version files or folders: store their content, write PATH.cairn pointers, git-ignore the data',
  usage: `cairn data add PATH… [--no-profile] [--json]

  Stores each file or folder in the workspace's object store (only content not already there; files
  unchanged since they were last hashed are not read again), writes PATH.cairn next to it (commit
  that file), and adds PATH to the .gitignore beside it. CSV, TSV, JSONL and Parquet files get their
  schema, row count and column statistics in the pointer.

  --no-profile   skip schema and statistics of tables
  --json         print the results as JSON`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { 'no-profile': { type: 'boolean' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
    const ws = await currentWorkspace();
    const bar = progressLine();
    const results = await addData(ws, positionals, { profile: !values['no-profile'], onProgress: bar.update }).finally(bar.done);
    if (values.json) return printJson(results), 0;
    for (const r of results) {
      const what = r.pointerData.kind === 'dir' ? `${r.pointerData.files.toLocaleString('en-US')} files, ${formatBytes(r.pointerData.size)}` : formatBytes(r.pointerData.size);
      const rows = r.pointerData.tabular ? `, ${r.pointerData.tabular.rows.toLocaleString('en-US')} rows × ${r.pointerData.tabular.columns.length} columns` : '';
      say(`${r.changed ? 'added' : 'unchanged'} ${r.path} (${what}${rows}) → ${r.pointer}  [${r.pointerData.hash.slice(0, 12)}; hashed ${r.hashedFiles}, stored ${r.storedObjects} new object(s), ${formatBytes(r.storedBytes)}]`);
      for (const s of r.skipped.slice(0, 5)) say(`  skipped ${s} (not a regular file)`);
      for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
    }
    if (results.some((r) => r.changed)) say(`\nCommit the pointer(s): git add ${results.map((r) => r.pointer).join(' ')} && git commit`);
    return 0;
  },
};
