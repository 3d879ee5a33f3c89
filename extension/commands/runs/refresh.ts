import type { CairnCommand } from '../command';

export const refreshRuns: CairnCommand = {
  id: 'cairn.runs.refresh',
  run(s) {
    s.tree.refreshAll();
  },
};
