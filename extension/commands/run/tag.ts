import * as vscode from 'vscode';
import { tagCommand, valueArg } from './set-tag-command';

export const tagRun = tagCommand('cairn.run.tag', {
  multi: true,
  title: 'Cairn: Tag Runs',
  async ask(_s, _runs, args) {
    const text = valueArg(args) ?? (await vscode.window.showInputBox({ title: 'Cairn: Tag Runs', prompt: 'key=value (or just a key, for key=true)', validateInput: (v) => (/^\s*[^\s=]+(=.*)?$/.test(v) ? undefined : 'Write key=value') }));
    if (!text?.trim()) return undefined;
    const eq = text.indexOf('=');
    return [eq < 0 ? { key: text.trim(), value: 'true' } : { key: text.slice(0, eq).trim(), value: text.slice(eq + 1).trim() }];
  },
});
