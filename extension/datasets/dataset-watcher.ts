import * as vscode from 'vscode';
import type { DataStatusReport } from '../../backend/api/data';

const DEBOUNCE_MS = 400;

/**
 * Refreshes the Datasets view when tracked data, a pointer file or the git branch changes: one
 * watcher for every `*.cairn` pointer and `.git/HEAD`/refs, and one per tracked path (rebuilt
 * when the set of tracked paths changes). Bursts of events give one refresh.
 */
export class DatasetWatcher implements vscode.Disposable {
  private readonly fixed: vscode.FileSystemWatcher[] = [];
  private perPath: vscode.FileSystemWatcher[] = [];
  private watchedPaths = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly folder: string,
    private readonly refresh: () => void,
  ) {
    this.fixed.push(this.watch('**/*.cairn'), this.watch('.git/{HEAD,refs/heads/**}'));
  }

  /** Follows the tracked paths of the latest status report. */
  track(report: DataStatusReport): void {
    const paths = report.entries.map((e) => e.path).sort();
    const key = paths.join('\n');
    if (key === this.watchedPaths) return;
    this.watchedPaths = key;
    for (const w of this.perPath) w.dispose();
    this.perPath = paths.flatMap((p) => [this.watch(p), this.watch(`${p}/**`)]);
  }

  private watch(glob: string): vscode.FileSystemWatcher {
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(this.folder), glob));
    const poke = () => this.schedule();
    w.onDidChange(poke);
    w.onDidCreate(poke);
    w.onDidDelete(poke);
    return w;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), DEBOUNCE_MS);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const w of [...this.fixed, ...this.perPath]) w.dispose();
  }
}
