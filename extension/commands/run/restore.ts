import type { CairnCommand } from '../command';
import { runsFromArgs } from '../run-args';

export const restoreRuns: CairnCommand = {
  id: 'cairn.run.restore',
  async run(s, ...args) {
    const runs = await runsFromArgs(s, args, { min: 1, title: 'Cairn: Restore Runs' });
    if (!runs?.length) return undefined;
    const client = await s.backend.ready();
    for (const r of runs) await client.restoreRun(r.info.run_id);
    return runs.map((r) => r.info.run_id);
  },
};
