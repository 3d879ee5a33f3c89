import * as vscode from 'vscode';
import { settings } from '../../config';
import type { CairnCommand } from '../command';

export const toggleCodeLens: CairnCommand = {
  id: 'cairn.codeLens.toggle',
  async run() {
    const next = !settings.codeLensEnabled();
    await vscode.workspace.getConfiguration('cairn').update('codeLens.enabled', next, vscode.ConfigurationTarget.Global);
    return next;
  },
};
