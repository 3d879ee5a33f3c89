import * as vscode from 'vscode';
import { settings } from '../config';
import type { Log } from '../log';
import { globMatch } from './glob';
import { detectTraining, languageOfPath } from './training-detector';

export const CODELENS_SELECTOR: vscode.DocumentSelector = [
  { language: 'python', scheme: 'file' },
  { language: 'javascript', scheme: 'file' },
  { language: 'typescript', scheme: 'file' },
  { pattern: '**/*.{py,js,mjs,cjs,ts,mts}', scheme: 'file' },
];

/**
 * "▶ Track this run" / "Track with params…" above training scripts. `provideCodeLenses` only runs
 * the regex detector; nothing calls the backend.
 */
export class TrackCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changeEmitter.event;

  constructor(private readonly log: Log) {}

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!settings.codeLensEnabled()) return [];
    const language = languageOfPath(doc.uri.fsPath);
    if (!language) return [];
    const detection = detectTraining(doc.getText(), language, matchesTrackGlobs(doc.uri));
    if (!detection) return [];
    this.log.debug('codelens', `${vscode.workspace.asRelativePath(doc.uri)}: ${detection.signals.join(', ')}`);
    const range = new vscode.Range(detection.line, 0, detection.line, 0);
    return [
      new vscode.CodeLens(range, { title: '▶ Track this run', command: 'cairn.track.run', arguments: [doc.uri], tooltip: 'Run this script with `cairn run` in a terminal and record it' }),
      new vscode.CodeLens(range, { title: 'Track with params…', command: 'cairn.track.runWithParams', arguments: [doc.uri], tooltip: 'Run it with params (prefilled with the last run of this script)' }),
    ];
  }

  refresh(): void {
    this.changeEmitter.fire();
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}

function matchesTrackGlobs(uri: vscode.Uri): boolean {
  const globs = settings.trackGlobs();
  if (globs.length === 0) return false;
  const rel = vscode.workspace.asRelativePath(uri, false);
  return globs.some((g) => globMatch(g, rel));
}
