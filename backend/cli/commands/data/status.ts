import { parseArgs } from 'node:util';
import { dataStatus } from '../../../data/status';
import type { Command } from '../../command';
import { currentWorkspace, printJson, say } from '../../data-context';
import { progressLine } from '../../progress-line';

const LIST_MAX = 10;

export const dataStatusCommand: Command = {
  name: 'status',
  summary: 'Show tracked data that is modified or missing compared with its pointer',
  usage: `cairn data status [PATH…] [--json]

  Compares the data on disk with the pointers (files unchanged since they were last hashed are not
  read). Lists, for folders, the files changed, missing, and not yet added (untracked).`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true });
    const ws = await currentWorkspace();
    const bar = progressLine();
    const report = await dataStatus(ws, positionals, { onProgress: bar.update }).finally(bar.done);
    if (values.json) return printJson(report), 0;
    if (report.entries.length === 0) return say('No tracked data here. Track some with: cairn data add PATH'), 0;
    let clean = 0;
    for (const e of report.entries) {
      const store = e.not_in_store ? '  (not in the local store: cairn data pull)' : '';
      if (e.state === 'clean') {
        clean++;
        if (store) say(`${e.path}${e.kind === 'dir' ? '/' : ''}: up to date${store}`);
        continue;
      }
      say(`${e.path}${e.kind === 'dir' ? '/' : ''}: ${e.state}${store}`);
      for (const [label, list] of [['changed', e.changed], ['missing', e.missing], ['untracked', e.untracked]] as const) {
        if (!list?.length) continue;
        say(`    ${label}: ${list.slice(0, LIST_MAX).join(', ')}${list.length > LIST_MAX ? ` … (${list.length} in all)` : ''}`);
      }
    }
    say(clean === report.entries.length ? `All ${clean} tracked path(s) are up to date.` : `${clean} of ${report.entries.length} tracked path(s) up to date. 'cairn data add PATH' records changes; 'cairn data checkout PATH' restores the recorded version.`);
    return 0;
  },
};
