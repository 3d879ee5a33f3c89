import * as vscode from 'vscode';
import { reproduceMarkdown } from '../../reproduce/reproduce-presentation';
import type { CairnCommand } from '../command';
import { runsFromArgs } from '../run-args';

/**
 * Reproduce Run: re-runs a run from its commit, code diff and data versions (`cairn reproduce`)
 * and opens the comparison (code, data, params, metrics). From a run node, a run id, or the palette.
 * `{tolerance}` as a second argument sets the metric tolerance.
 */
export const reproduceRunCommand: CairnCommand = {
  id: 'cairn.run.reproduce',
  async run(s, ...args) {
    const opts = args.find((a): a is { tolerance: number } => !!a && typeof a === 'object' && typeof (a as { tolerance?: unknown }).tolerance === 'number');
    const runs = await runsFromArgs(s, args.filter((a) => a !== opts), { min: 1, max: 1, title: 'Cairn: Reproduce Run' });
    const run = runs?.[0];
    if (!run) return undefined;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!folder) throw new Error('Open the folder of the run’s repository to reproduce it.');
    const name = run.info.run_name || run.info.run_id.slice(0, 8);
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Cairn: reproducing ${name}`, cancellable: true }, (_p, token) =>
      s.reproduce.reproduce(run.info.run_id, { folder, tolerance: opts?.tolerance, token }),
    );
    if (!outcome.report) {
      s.reproduce.show();
      throw new Error(`cannot reproduce ${name}: ${outcome.error}`);
    }
    const uri = await s.reports.open(`reproduce-${run.info.run_id.slice(0, 12)}`, reproduceMarkdown(outcome.report));
    const verdict = outcome.report.reproduced ? 'reproduced' : 'NOT reproduced';
    void vscode.window.showInformationMessage(`Cairn: ${name} ${verdict} as run ${outcome.report.new_run_id.slice(0, 8)}.`);
    return { report: outcome.report, document: uri.toString() };
  },
};
