import * as vscode from 'vscode';
import type { CairnCommand } from '../command';

const FIXED = [
  { label: 'Newest first', orderBy: 'attributes.start_time DESC' },
  { label: 'Oldest first', orderBy: 'attributes.start_time ASC' },
  { label: 'Name', orderBy: 'attributes.run_name ASC' },
];

/** Sorts the Runs view: by time, name, or any metric (ascending or descending). */
export const sortRuns: CairnCommand = {
  id: 'cairn.runs.sort',
  async run(s, orderArg?: unknown) {
    let orderBy = typeof orderArg === 'string' ? orderArg : undefined;
    if (!orderBy) {
      const metricKeys = [...new Set(s.model.loadedRuns().flatMap((r) => r.data.metrics.map((m) => m.key)))].sort();
      const items = [
        ...FIXED.map((f) => ({ label: f.label, orderBy: f.orderBy, picked: f.orderBy === s.model.query.orderBy })),
        ...metricKeys.flatMap((k) => [
          { label: `${k} ↑ (lowest first)`, orderBy: `metrics.\`${k}\` ASC`, picked: false },
          { label: `${k} ↓ (highest first)`, orderBy: `metrics.\`${k}\` DESC`, picked: false },
        ]),
      ];
      orderBy = (await vscode.window.showQuickPick(items, { title: 'Cairn: Sort Runs' }))?.orderBy;
    }
    if (!orderBy) return undefined;
    s.model.setQuery({ orderBy });
    s.tree.refreshAll(false);
    return orderBy;
  },
};
