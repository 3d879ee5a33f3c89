import * as vscode from 'vscode';
import { CairnClient } from '../../../backend/client/cairn-client';
import { SETTING_KEYS } from '../../config';
import type { CairnCommand } from '../command';

/** Asks for a URL and a token, checks them, keeps the token in SecretStorage and switches over. */
export const connectRemote: CairnCommand = {
  id: 'cairn.backend.connectRemote',
  async run(s, urlArg?: unknown, tokenArg?: unknown) {
    const url =
      typeof urlArg === 'string'
        ? urlArg
        : await vscode.window.showInputBox({
            title: 'Cairn: Connect to Remote Backend (1/2)',
            prompt: 'URL of the Cairn backend',
            placeHolder: 'https://cairn.example.com',
            validateInput: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'Enter an http(s) URL'),
          });
    if (!url) return undefined;
    const token =
      typeof tokenArg === 'string'
        ? tokenArg
        : await vscode.window.showInputBox({ title: 'Cairn: Connect to Remote Backend (2/2)', prompt: 'Access token (kept in VS Code’s secret storage)', password: true });
    if (token === undefined) return undefined;
    const clean = url.trim().replace(/\/+$/, '');
    await new CairnClient({ url: clean, token: token || undefined, timeoutMs: 10_000 }).info();
    await s.credentials.set(clean, token || undefined);
    await vscode.workspace.getConfiguration('cairn').update(SETTING_KEYS.backendUrl.replace(/^cairn\./, ''), clean, vscode.ConfigurationTarget.Workspace);
    const client = await s.backend.reconnect();
    return client.url;
  },
};
