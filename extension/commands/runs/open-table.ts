import * as vscode from 'vscode';
import type { RunsNode } from '../../runs/runs-tree';
import type { CairnCommand } from '../command';

/** Opens the Runs Table panel for an experiment (the tree node's, an id, or picked). */
export const openTable: CairnCommand = {
  id: 'cairn.runs.openTable',
  async run(s, arg?: unknown) {
    const client = await s.backend.ready();
    let ids: string[] = [];
    if (typeof arg === 'string') ids = [arg];
    else if (arg && typeof arg === 'object' && (arg as RunsNode).kind === 'experiment') ids = [(arg as RunsNode & { kind: 'experiment' }).experiment.experiment_id];
    if (ids.length === 0) {
      const exps = await client.searchExperiments();
      if (exps.length <= 1) ids = exps.map((e) => e.experiment_id);
      else {
        const picked = await vscode.window.showQuickPick(exps.map((e) => ({ label: e.name, id: e.experiment_id })), { title: 'Cairn: Open Runs Table', canPickMany: true });
        if (!picked?.length) return undefined;
        ids = picked.map((p) => p.id);
      }
    }
    if (ids.length === 0) throw new Error('there are no experiments yet: track a run first');
    return s.panels.openRunsTable(ids);
  },
};
