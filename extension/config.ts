import * as vscode from 'vscode';

/** Typed access to the `cairn.*` settings (reading settings is the only I/O activation does). */
export const settings = {
  backendUrl: () => cfg().get<string>('backend.url', '').trim(),
  codeLensEnabled: () => cfg().get<boolean>('codeLens.enabled', true),
  trackGlobs: () => cfg().get<string[]>('trackGlobs', []),
  experiment: () => cfg().get<string>('track.experiment', '').trim(),
  pythonCommand: () => cfg().get<string>('track.pythonCommand', 'python3').trim() || 'python3',
  keyMetric: () => cfg().get<string>('runs.keyMetric', '').trim(),
  maxRunsPerExperiment: () => cfg().get<number>('runs.maxPerExperiment', 500),
  cliPath: () => cfg().get<string>('track.cliPath', '').trim(),
};

export const SETTING_KEYS = {
  backendUrl: 'cairn.backend.url',
  codeLensEnabled: 'cairn.codeLens.enabled',
  trackGlobs: 'cairn.trackGlobs',
} as const;

function cfg(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('cairn');
}
