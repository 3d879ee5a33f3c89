import { parseArgs } from 'node:util';
import { checkoutData } from '../../../data/checkout';
import type { Command } from '../../command';
import { currentWorkspace, printJson, say } from '../../data-context';
import { progressLine } from '../../progress-line';

export const dataCheckoutCommand: Command = {
  name: 'checkout',
  summary: 'Restore tracked data to exactly the version its pointer names (or names at a git revision)',
  usage: `cairn data checkout [PATH…] [--rev GITREV] [--link] [--force] [--json]

  Writes the exact bytes the pointers name, from the local store, verifying each file's hash. With
  --rev, uses the pointers at that git revision and writes them to the working tree too (like
  'git checkout REV -- PATH'). Refuses to overwrite or delete data that is not saved in the store
  unless --force. Objects missing locally: 'cairn data pull'.

  --rev GITREV   the version recorded at this commit, branch or tag
  --link         read-only hard links to the store instead of copies (no extra disk space)
  --force        discard unsaved changes to tracked data`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { rev: { type: 'string' }, link: { type: 'boolean' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const ws = await currentWorkspace();
    const bar = progressLine();
    const results = await checkoutData(ws, positionals, { rev: values.rev, link: values.link, force: values.force, onProgress: bar.update }).finally(bar.done);
    if (values.json) return printJson(results), 0;
    for (const r of results) {
      const what = r.written || r.deleted ? `${r.written} file(s) written, ${r.deleted} removed` : 'already up to date';
      say(`${r.path}: ${what}${r.pointerUpdated ? ` (pointer set to ${values.rev})` : ''}`);
    }
    return 0;
  },
};
