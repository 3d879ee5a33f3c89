import * as vscode from 'vscode';
import type { CairnCommand } from '../command';
import { runsFromArgs } from '../run-args';

export const copyRunId: CairnCommand = {
  id: 'cairn.run.copyId',
  async run(s, ...args) {
    const runs = await runsFromArgs(s, args, { min: 1, title: 'Cairn: Copy Run ID' });
    if (!runs?.length) return undefined;
    const text = runs.map((r) => r.info.run_id).join('\n');
    await vscode.env.clipboard.writeText(text);
    return text;
  },
};
