import type { CairnCommand } from '../command';

export const refreshPipeline: CairnCommand = {
  id: 'cairn.pipeline.refresh',
  run(s) {
    s.pipeline.refresh();
  },
};
