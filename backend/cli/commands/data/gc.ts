import { parseArgs } from 'node:util';
import { gcData } from '../../../data/gc';
import type { Command } from '../../command';
import { currentWorkspace, localBackend, printJson, say } from '../../data-context';
import { formatBytes } from '../../progress-line';

export const dataGcCommand: Command = {
  name: 'gc',
  summary: 'Delete stored data versions that nothing needs any more',
  usage: `cairn data gc [--workspace-only] [--dry-run] [--force] [--offline] [--json]

  Deletes objects that 'cairn data' stored and that no pointer needs — in the working tree or (by
  default) in any commit of any branch or tag — and that the local backend does not reference (run
  inputs, registered dataset versions, artifacts). Artifacts and models are never deleted.

  --workspace-only   keep only what the working tree's pointers need
  --dry-run          report what would be deleted
  --force            delete even when some kept folder's manifest is not local
  --offline          do not ask the local backend (keeps less safe: runs' inputs are not consulted)`,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { 'workspace-only': { type: 'boolean' }, 'dry-run': { type: 'boolean' }, force: { type: 'boolean' }, offline: { type: 'boolean' }, json: { type: 'boolean' } },
      strict: true,
    });
    const ws = await currentWorkspace();
    const backend = values.offline ? undefined : await localBackend(ws);
    const r = await gcData(ws, {
      workspaceOnly: values['workspace-only'],
      dryRun: values['dry-run'],
      force: values.force,
      inUse: backend ? async (hashes) => new Set(await backend.objectsInUse(hashes)) : undefined,
    });
    if (values.json) return printJson(r), 0;
    say(`${values['dry-run'] ? 'would remove' : 'removed'} ${r.removed} object(s), ${formatBytes(r.bytes)}; kept ${r.kept}${r.tempFiles ? `; removed ${r.tempFiles} stale temp file(s)` : ''}`);
    return 0;
  },
};
