import * as vscode from 'vscode';
import { setContext } from '../../context-keys';
import type { CairnCommand } from '../command';

/** Filters the Runs view with MLflow's filter syntax (checked by the backend before it is applied). */
export const filterRuns: CairnCommand = {
  id: 'cairn.runs.filter',
  async run(s, filterArg?: unknown) {
    const client = await s.backend.ready();
    const filter =
      typeof filterArg === 'string'
        ? filterArg
        : await vscode.window.showInputBox({
            title: 'Cairn: Filter Runs',
            prompt: "MLflow filter syntax, e.g. metrics.accuracy > 0.9 and params.lr = '0.01'",
            value: s.model.query.filter,
            validateInput: async (v) => {
              if (!v.trim()) return undefined;
              try {
                await client.searchRuns({ filter: v, max_results: 1 });
                return undefined;
              } catch (err) {
                return (err as Error).message.replace(/^[A-Z_]+: /, '');
              }
            },
          });
    if (filter === undefined) return undefined;
    s.model.setQuery({ filter: filter.trim() });
    setContext('cairn.runsFiltered', !!filter.trim());
    s.treeView.description = filter.trim() ? `filter: ${filter.trim()}` : undefined;
    s.tree.refreshAll(false);
    return filter.trim();
  },
};
