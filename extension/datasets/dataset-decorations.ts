import * as vscode from 'vscode';
import type { DataStatusReport } from '../../backend/api/data';
import { badgeFor, decorationTargets } from './dataset-presentation';

/**
 * Explorer (and Datasets view) badges for tracked data that differs from its recorded version:
 * M modified, ! missing, U a file in a tracked folder that its version does not list.
 */
export class DatasetDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.changeEmitter.event;
  private states = new Map<string, 'modified' | 'missing' | 'untracked'>();

  constructor(private readonly folder: () => string | undefined) {}

  /** Takes a new status report and re-decorates what changed (before and after). */
  update(report: DataStatusReport): void {
    const folder = this.folder();
    if (!folder) return;
    const next = decorationTargets(report.entries);
    const touched = new Set([...this.states.keys(), ...next.keys()]);
    this.states = next;
    if (touched.size) this.changeEmitter.fire([...touched].map((rel) => vscode.Uri.joinPath(vscode.Uri.file(folder), ...rel.split('/'))));
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const rel = this.relative(uri);
    const state = rel === undefined ? undefined : this.states.get(rel);
    if (!state) return undefined;
    const b = badgeFor(state);
    return new vscode.FileDecoration(b.badge, b.tooltip, new vscode.ThemeColor(b.color));
  }

  /** For tests: the decoration a path gets now. */
  stateOf(rel: string): string | undefined {
    return this.states.get(rel);
  }

  private relative(uri: vscode.Uri): string | undefined {
    const folder = this.folder();
    if (!folder || uri.scheme !== 'file') return undefined;
    const base = vscode.Uri.file(folder).path.replace(/\/$/, '');
    return uri.path.startsWith(base + '/') ? uri.path.slice(base.length + 1) : undefined;
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
