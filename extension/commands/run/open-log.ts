import * as vscode from 'vscode';
import { RUN_ARTIFACTS } from '../../../backend/api/run-record';
import type { CairnCommand } from '../command';
import { runsFromArgs } from '../run-args';

/** Opens the run's recorded terminal output (`cairn/output.log`) as a read-only document. */
export const openRunLog: CairnCommand = {
  id: 'cairn.run.openLog',
  async run(s, ...args) {
    const runs = await runsFromArgs(s, args, { min: 1, max: 1, title: 'Cairn: Open Run Log' });
    const run = runs?.[0];
    if (!run) return undefined;
    const uri = s.runDocs.artifactUri(run, RUN_ARTIFACTS.log);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
    return uri.toString();
  },
};
