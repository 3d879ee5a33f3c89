import * as vscode from 'vscode';
import type { CairnCommand } from '../command';

/** Shows which backend is connected; returns its info (used by tests). */
export const showInfo: CairnCommand = {
  id: 'cairn.backend.showInfo',
  async run(s) {
    const client = await s.backend.ready();
    const info = await client.info();
    const result = { url: client.url, ...info, kind: s.backend.target?.kind };
    void vscode.window.showInformationMessage(`Cairn ${info.version}: ${info.mode} backend at ${client.url} (store ${info.store}).`);
    return result;
  },
};
