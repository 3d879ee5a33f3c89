import type { CairnCommand } from '../command';
import { runsFromArgs } from '../run-args';

/** Cairn: Diff Run Code — the code of two runs (commit + recorded uncommitted diff) as a multi-file diff. */
export const diffRunCode: CairnCommand = {
  id: 'cairn.runs.diffCode',
  async run(s, ...args) {
    const runs = await runsFromArgs(s, args, { min: 1, max: 2, title: 'Cairn: Diff Run Code — pick two runs' });
    if (!runs || runs.length === 0) return undefined;
    return s.codeDiff.open(runs[0]!, runs[1]);
  },
};
