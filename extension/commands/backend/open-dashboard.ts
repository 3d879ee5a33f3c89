import * as vscode from 'vscode';
import type { CairnCommand } from '../command';

/** Opens the backend's standalone dashboard in the browser (the token travels once, then lives in a cookie). */
export const openDashboard: CairnCommand = {
  id: 'cairn.backend.openDashboard',
  async run(s) {
    const client = await s.backend.ready();
    const uri = vscode.Uri.parse(`${client.url}/${s.backend.token ? `?token=${encodeURIComponent(s.backend.token)}` : ''}`);
    await vscode.env.openExternal(uri);
    return client.url;
  },
};
