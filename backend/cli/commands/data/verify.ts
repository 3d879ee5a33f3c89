import { parseArgs } from 'node:util';
import { verifyData } from '../../../data/verify';
import type { Command } from '../../command';
import { currentWorkspace, printJson, say } from '../../data-context';
import { formatBytes, progressLine } from '../../progress-line';

export const dataVerifyCommand: Command = {
  name: 'verify',
  summary: 'Re-hash stored objects (and optionally the workspace) and report corruption',
  usage: `cairn data verify [PATH…] [--all] [--workspace] [--json]

  Reads every object the tracked data needs and checks its bytes against its sha256. A corrupt
  object is moved to .cairn/objects/corrupt/ (so 'cairn data pull' or 'cairn data add' can store it
  again). Exit code 1 when anything is corrupt or missing.

  --all         every object in the store (artifacts and models too)
  --workspace   also re-read the data on disk, ignoring the stat cache`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { all: { type: 'boolean' }, workspace: { type: 'boolean' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
    const ws = await currentWorkspace();
    const bar = progressLine();
    const r = await verifyData(ws, positionals, { all: values.all, workspace: values.workspace, onProgress: bar.update }).finally(bar.done);
    const bad = r.corrupt.length + r.missing.length + (r.workspace?.length ?? 0) > 0;
    if (values.json) return printJson(r), bad ? 1 : 0;
    say(`checked ${r.checked.toLocaleString('en-US')} object(s), ${formatBytes(r.bytes)}`);
    for (const c of r.corrupt) say(`CORRUPT ${c.hash}${c.paths.length ? ` (${c.paths.join(', ')})` : ''}: moved to ${c.quarantined}`);
    for (const m of r.missing) say(`missing ${m.hash} (${m.paths.join(', ')})`);
    for (const w of r.workspace ?? []) say(`workspace: ${w.path} is ${w.state}`);
    if (r.corrupt.length) say(`Restore corrupt objects with 'cairn data pull', or 'cairn data add' if your copy on disk is intact.`);
    if (!bad) say('all good');
    return bad ? 1 : 0;
  },
};
