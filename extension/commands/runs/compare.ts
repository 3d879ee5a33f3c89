import type { CairnCommand } from '../command';
import { runsFromArgs } from '../run-args';

/** Compare any number (≥ 2) of runs: metrics overlaid, params diff, parallel coordinates. */
export const compareRuns: CairnCommand = {
  id: 'cairn.runs.compare',
  async run(s, ...args) {
    const runs = await runsFromArgs(s, args, { min: 2, title: 'Cairn: Compare Runs — pick two or more' });
    if (!runs) return undefined;
    return s.panels.openCompare(runs.map((r) => r.info.run_id));
  },
};
