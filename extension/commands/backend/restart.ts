import type { CairnCommand } from '../command';

export const restartBackend: CairnCommand = {
  id: 'cairn.backend.restart',
  async run(s) {
    const client = await s.backend.reconnect();
    return client.url;
  },
};
