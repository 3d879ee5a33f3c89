import * as vscode from 'vscode';
import type { BackendConnection } from '../backend/backend-connection';
import type { Log } from '../log';
import { DatasetDecorations } from './dataset-decorations';
import { DatasetService } from './dataset-service';
import { DatasetWatcher } from './dataset-watcher';
import { DatasetsTreeProvider, type DatasetsNode } from './datasets-tree';

/**
 * Everything the Datasets view needs, for the first workspace folder: the engine service, the
 * tree, the file decorations and the watcher that keeps both current.
 */
export class DatasetsFeature implements vscode.Disposable {
  readonly service: DatasetService | undefined;
  readonly tree: DatasetsTreeProvider;
  readonly view: vscode.TreeView<DatasetsNode>;
  readonly decorations: DatasetDecorations;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(backend: BackendConnection, log: Log) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    this.service = folder ? new DatasetService(folder, backend) : undefined;
    this.tree = new DatasetsTreeProvider(() => this.service, log);
    this.view = vscode.window.createTreeView<DatasetsNode>('cairn.datasets', { treeDataProvider: this.tree, canSelectMany: true, showCollapseAll: true });
    this.decorations = new DatasetDecorations(() => folder);
    this.disposables.push(this.tree, this.view, this.decorations, vscode.window.registerFileDecorationProvider(this.decorations));
    if (folder) {
      const watcher = new DatasetWatcher(folder, () => this.tree.refresh());
      this.disposables.push(watcher);
      this.disposables.push(
        this.tree.onDidLoadStatus((r) => {
          this.decorations.update(r);
          watcher.track(r);
        }),
      );
      // Decorations show in the Explorer even before the view is opened; loaded after activation returns.
      const initial = setTimeout(() => void this.tree.status().catch((err: unknown) => log.warn('tree', `datasets: ${(err as Error).message}`)), 0);
      this.disposables.push({ dispose: () => clearTimeout(initial) });
    }
  }

  /** The service, or an error naming why there is none. */
  requireService(): DatasetService {
    if (!this.service) throw new Error('Open a folder to version datasets in it.');
    return this.service;
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }
}
