import type { CairnCommand } from '../command';

export const showOutput: CairnCommand = {
  id: 'cairn.showOutput',
  run(s) {
    s.log.channel.show(true);
  },
};
