import * as vscode from 'vscode';
import type { CairnCommand } from '../command';

/** ▶ Track this run: `cairn run` on the script (the CodeLens passes its URI; else the active editor). */
export const trackRun: CairnCommand = {
  id: 'cairn.track.run',
  async run(s, uriArg?: unknown) {
    const uri = scriptUri(uriArg);
    if (!uri) throw new Error('open a training script first (or use the ▶ Track this run lens above it)');
    const terminal = await s.launcher.track(uri, []);
    return { terminal: terminal.name, script: uri.fsPath };
  },
};

export function scriptUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.file(arg);
  return vscode.window.activeTextEditor?.document.uri;
}
