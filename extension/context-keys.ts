import * as vscode from 'vscode';

/** Every context key Cairn sets (used in `when` clauses of package.json). */
export interface ContextKeys {
  'cairn.backendState': 'idle' | 'connecting' | 'connected' | 'failed' | 'no-workspace';
  'cairn.hasRuns': boolean;
  'cairn.runsFiltered': boolean;
  'cairn.showDeleted': boolean;
  'cairn.codeLensEnabled': boolean;
}

export function setContext<K extends keyof ContextKeys>(key: K, value: ContextKeys[K]): void {
  void vscode.commands.executeCommand('setContext', key, value);
}
