import type { CairnCommand } from '../command';

export const refreshModels: CairnCommand = {
  id: 'cairn.models.refresh',
  run(s) {
    s.deploymentsTree.model.reset();
    s.modelsTree.refreshAll();
  },
};
