import { parseArgs } from 'node:util';
import { dataLog } from '../../../data/log';
import { UsageError, type Command } from '../../command';
import { currentWorkspace, printJson, say } from '../../data-context';
import { formatBytes } from '../../progress-line';

export const dataLogCommand: Command = {
  name: 'log',
  summary: 'List the versions of tracked data in git history',
  usage: `cairn data log PATH [--max N] [--json]

  One line per commit that changed PATH's pointer, newest first: commit, date, size, rows, hash.`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { max: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('expected one PATH');
    const ws = await currentWorkspace();
    const entries = await dataLog(ws, positionals[0]!, { max: values.max ? Number(values.max) : undefined });
    if (values.json) return printJson(entries), 0;
    for (const e of entries) {
      const rows = e.pointer.tabular ? `, ${e.pointer.tabular.rows} rows` : '';
      say(`${e.commit.slice(0, 10)}  ${new Date(e.time).toISOString().slice(0, 16).replace('T', ' ')}  ${formatBytes(e.pointer.size)}${e.pointer.kind === 'dir' ? `, ${e.pointer.files} files` : ''}${rows}  ${e.pointer.hash.slice(0, 12)}  ${e.subject}`);
    }
    if (entries.length === 0) say('no committed versions');
    return 0;
  },
};
