import * as vscode from 'vscode';
import type { CairnCommand } from '../command';

export const useLocal: CairnCommand = {
  id: 'cairn.backend.useLocal',
  async run(s) {
    const cfg = vscode.workspace.getConfiguration('cairn');
    for (const target of [vscode.ConfigurationTarget.Workspace, vscode.ConfigurationTarget.Global]) await cfg.update('backend.url', undefined, target);
    return (await s.backend.reconnect()).url;
  },
};
