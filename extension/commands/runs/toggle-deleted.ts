import { setContext } from '../../context-keys';
import type { CairnCommand } from '../command';

export const toggleDeleted: CairnCommand = {
  id: 'cairn.runs.toggleDeleted',
  run(s) {
    const showDeleted = !s.model.query.showDeleted;
    s.model.setQuery({ showDeleted });
    setContext('cairn.showDeleted', showDeleted);
    s.tree.refreshAll(false);
    return showDeleted;
  },
};
