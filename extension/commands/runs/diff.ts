import * as vscode from 'vscode';
import { runName } from '../../runs/run-presentation';
import type { CairnCommand } from '../command';
import { runsFromArgs } from '../run-args';

/** Cairn: Diff Runs — VS Code's diff editor between two runs' YAML summaries. */
export const diffRuns: CairnCommand = {
  id: 'cairn.runs.diff',
  async run(s, ...args) {
    const runs = await runsFromArgs(s, args, { min: 2, max: 2, title: 'Cairn: Diff Runs — pick two' });
    if (!runs || runs.length !== 2) return undefined;
    const [a, b] = runs as [typeof runs[0], typeof runs[0]];
    const left = s.runDocs.uriFor(a);
    const right = s.runDocs.uriFor(b);
    const title = `${runName(a)} ↔ ${runName(b)} (Cairn runs)`;
    await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: false });
    return { left: left.toString(), right: right.toString(), title };
  },
};
