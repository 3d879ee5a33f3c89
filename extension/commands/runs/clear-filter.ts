import { setContext } from '../../context-keys';
import type { CairnCommand } from '../command';

export const clearFilter: CairnCommand = {
  id: 'cairn.runs.clearFilter',
  run(s) {
    s.model.setQuery({ filter: '' });
    setContext('cairn.runsFiltered', false);
    s.treeView.description = undefined;
    s.tree.refreshAll(false);
  },
};
