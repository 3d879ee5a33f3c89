import type { CairnCommand } from '../command';

export const refreshDeployments: CairnCommand = {
  id: 'cairn.deployments.refresh',
  run(s) {
    s.deploymentsTree.refreshAll();
  },
};
