import type { CairnCommand } from '../command';

export const refreshDatasets: CairnCommand = {
  id: 'cairn.datasets.refresh',
  async run(s) {
    s.datasets.tree.refresh();
    return s.datasets.tree.status();
  },
};
