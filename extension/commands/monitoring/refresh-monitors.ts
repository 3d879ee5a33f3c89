import type { CairnCommand } from '../command';

/** Re-reads cairn.yaml's monitors on the backend and redraws the Monitors view. */
export const refreshMonitors: CairnCommand = {
  id: 'cairn.monitors.refresh',
  run(s) {
    s.monitors.refresh();
  },
};
