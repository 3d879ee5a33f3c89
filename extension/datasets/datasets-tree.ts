import * as vscode from 'vscode';
import type { DataLogEntry, DataStatusEntry, DataStatusReport } from '../../backend/api/data';
import type { Log } from '../log';
import {
  datasetContextValue,
  datasetDescription,
  datasetIcon,
  datasetNodeId,
  datasetTooltip,
  VERSION_CONTEXT,
  versionDescription,
  versionLabel,
  versionNodeId,
  versionTooltip,
} from './dataset-presentation';
import type { DatasetService } from './dataset-service';

export type DatasetsNode =
  | { kind: 'dataset'; entry: DataStatusEntry }
  | { kind: 'version'; path: string; version: DataLogEntry; current: boolean }
  | { kind: 'message'; path: string; text: string };

/**
 * The Datasets view: tracked datasets (their state against their pointer) → the versions their
 * pointer had in git history, newest first, the one the working tree's pointer names marked.
 * Node ids are stable (path, path@commit), so expansion survives refreshes.
 */
export class DatasetsTreeProvider implements vscode.TreeDataProvider<DatasetsNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<DatasetsNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly statusEmitter = new vscode.EventEmitter<DataStatusReport>();
  /** Fires after every status load (the decorations follow it). */
  readonly onDidLoadStatus = this.statusEmitter.event;
  private report: Promise<DataStatusReport> | undefined;
  private readonly versionCache = new Map<string, Promise<DataLogEntry[]>>();

  constructor(
    private readonly service: () => DatasetService | undefined,
    private readonly log: Log,
  ) {}

  /** The current status of every tracked dataset (loaded once per refresh). */
  status(): Promise<DataStatusReport | undefined> {
    const svc = this.service();
    if (!svc) return Promise.resolve(undefined);
    this.report ??= svc.status().then((r) => {
      this.statusEmitter.fire(r);
      return r;
    });
    const mine = this.report;
    return mine.catch((err: unknown) => {
      if (this.report === mine) this.report = undefined;
      throw err;
    });
  }

  versions(path: string): Promise<DataLogEntry[]> {
    const svc = this.service();
    if (!svc) return Promise.resolve([]);
    let v = this.versionCache.get(path);
    if (!v) {
      v = svc.versions(path);
      this.versionCache.set(path, v);
      v.catch(() => this.versionCache.delete(path));
    }
    return v;
  }

  async getChildren(node?: DatasetsNode): Promise<DatasetsNode[]> {
    try {
      if (!node) return ((await this.status())?.entries ?? []).map((entry) => ({ kind: 'dataset' as const, entry }));
      if (node.kind !== 'dataset') return [];
      const versions = await this.versions(node.entry.path);
      if (versions.length === 0) return [{ kind: 'message', path: node.entry.path, text: `No committed version yet — commit ${node.entry.pointer}` }];
      return versions.map((version) => ({ kind: 'version' as const, path: node.entry.path, version, current: version.pointer.hash === node.entry.hash }));
    } catch (err) {
      this.log.error('tree', 'cannot list datasets', err);
      return node ? [{ kind: 'message', path: node.kind === 'dataset' ? node.entry.path : node.path, text: `Cannot read history: ${(err as Error).message}` }] : [];
    }
  }

  getTreeItem(node: DatasetsNode): vscode.TreeItem {
    const folder = this.service()?.folder;
    switch (node.kind) {
      case 'dataset': {
        const e = node.entry;
        const item = new vscode.TreeItem(e.path, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = datasetNodeId(e.path);
        // resourceUri: the view shows the file decoration (modified/missing badge) like the Explorer.
        if (folder) item.resourceUri = vscode.Uri.joinPath(vscode.Uri.file(folder), ...e.path.split('/'));
        item.label = e.path;
        item.description = datasetDescription(e);
        item.tooltip = datasetTooltip(e);
        const icon = datasetIcon(e);
        item.iconPath = new vscode.ThemeIcon(icon.icon, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
        item.contextValue = datasetContextValue(e);
        return item;
      }
      case 'version': {
        const item = new vscode.TreeItem(versionLabel(node.version), vscode.TreeItemCollapsibleState.None);
        item.id = versionNodeId(node.path, node.version.commit);
        item.description = versionDescription(node.version, node.current);
        item.tooltip = versionTooltip(node.version);
        item.iconPath = new vscode.ThemeIcon(node.current ? 'pass-filled' : 'git-commit');
        item.contextValue = VERSION_CONTEXT;
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = `/dataset/${node.path}#message`;
        return item;
      }
    }
  }

  /** Reloads status and history (after an operation, a file or pointer change, a commit). */
  refresh(): void {
    this.report = undefined;
    this.versionCache.clear();
    this.changeEmitter.fire(undefined);
    // Loaded now even when the view is hidden: the Explorer's decorations depend on it.
    void this.status().catch((err: unknown) => this.log.warn('tree', `status: ${(err as Error).message}`));
  }

  dispose(): void {
    this.changeEmitter.dispose();
    this.statusEmitter.dispose();
  }
}
