import * as vscode from 'vscode';
import type { CairnCommand } from '../command';
import { runsFromArgs } from '../run-args';

/** Deletes runs (soft: MLflow's lifecycle, restorable). A modal confirms unless called with `{confirm: false}`. */
export const deleteRuns: CairnCommand = {
  id: 'cairn.run.delete',
  async run(s, ...args) {
    const runs = await runsFromArgs(s, args, { min: 1, title: 'Cairn: Delete Runs' });
    if (!runs?.length) return undefined;
    const quiet = args.some((a) => a && typeof a === 'object' && (a as { confirm?: boolean }).confirm === false);
    if (!quiet) {
      const ok = await vscode.window.showWarningMessage(`Delete ${runs.length} run(s)? They can be restored (Show Deleted Runs).`, { modal: true }, 'Delete');
      if (ok !== 'Delete') return undefined;
    }
    const client = await s.backend.ready();
    for (const r of runs) await client.deleteRun(r.info.run_id);
    return runs.map((r) => r.info.run_id);
  },
};
