import type { CairnCommand } from '../command';
import { runsFromArgs } from '../run-args';

/** Opens a run's detail panel. */
export const openRun: CairnCommand = {
  id: 'cairn.run.open',
  async run(s, ...args) {
    const runs = await runsFromArgs(s, args, { min: 1, max: 1, title: 'Cairn: Open Run' });
    if (!runs?.[0]) return undefined;
    return s.panels.openRunDetail(runs[0].info.run_id);
  },
};
