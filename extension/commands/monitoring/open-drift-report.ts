import type { CairnCommand } from '../command';

/** Opens a stored drift report (by id) in the drift report panel. */
export const openDriftReport: CairnCommand = {
  id: 'cairn.drift.openReport',
  async run(s, ...args) {
    const id = typeof args[0] === 'string' ? args[0] : (args[0] as { monitor?: { last_report?: string } } | undefined)?.monitor?.last_report;
    if (!id) throw new Error('No drift report to open.');
    return s.panels.openDriftReport(id);
  },
};
