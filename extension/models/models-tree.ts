import * as vscode from 'vscode';
import type { ModelVersion, RegisteredModel } from '../../backend/api/mlflow';
import type { DeploymentsModel } from '../deployments/deployments-model';
import type { Log } from '../log';
import { MODEL_CONTEXT_VALUE, modelDescription, modelNodeId, modelTooltip, versionContextValue, versionDescription, versionIcon, versionLabel, versionNodeId, versionTooltip } from './model-presentation';
import type { ModelsChange, ModelsModel } from './models-model';

export type ModelsNode = { kind: 'model'; model: RegisteredModel } | { kind: 'version'; version: ModelVersion };

/**
 * The Models view: registered models → versions (newest first) with their aliases and the
 * deployments serving them. Stable ids; a `model.updated` event refreshes only that model's node.
 */
export class ModelsTreeProvider implements vscode.TreeDataProvider<ModelsNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ModelsNode | ModelsNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly modelNodes = new Map<string, ModelsNode & { kind: 'model' }>();

  constructor(
    readonly model: ModelsModel,
    private readonly deployments: DeploymentsModel,
    private readonly log: Log,
  ) {}

  async getChildren(node?: ModelsNode): Promise<ModelsNode[]> {
    try {
      // Deployed markers on versions need the deployments list.
      if (!this.deployments.loaded) await this.deployments.list().catch(() => undefined);
      if (!node) {
        return (await this.model.listModels()).map((m) => this.modelNode(m));
      }
      if (node.kind !== 'model') return [];
      return (await this.model.listVersions(node.model.name)).map((version) => ({ kind: 'version' as const, version }));
    } catch (err) {
      this.log.error('tree', 'cannot list models', err);
      return [];
    }
  }

  getParent(node: ModelsNode): ModelsNode | undefined {
    return node.kind === 'version' ? this.modelNodes.get(node.version.name) : undefined;
  }

  getTreeItem(node: ModelsNode): vscode.TreeItem {
    if (node.kind === 'model') {
      const m = node.model;
      const item = new vscode.TreeItem(m.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = modelNodeId(m.name);
      item.description = modelDescription(m, this.model.loadedVersions(m.name)?.length);
      item.tooltip = modelTooltip(m);
      item.iconPath = new vscode.ThemeIcon('package');
      item.contextValue = MODEL_CONTEXT_VALUE;
      return item;
    }
    const v = node.version;
    const deployedAs = this.deployments.deployedAs(v.name, v.version);
    const item = new vscode.TreeItem(versionLabel(v), vscode.TreeItemCollapsibleState.None);
    item.id = versionNodeId(v.name, v.version);
    item.description = versionDescription(v, deployedAs);
    item.tooltip = versionTooltip(v, deployedAs);
    const icon = versionIcon(v);
    item.iconPath = new vscode.ThemeIcon(icon.icon, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    item.contextValue = versionContextValue(v, deployedAs.length > 0);
    item.command = { command: 'cairn.model.openCard', title: 'Open Model Card', arguments: [{ name: v.name, version: v.version }] };
    item.accessibilityInformation = { label: `${v.name} ${versionLabel(v)}${v.aliases.length ? `, aliases ${v.aliases.join(', ')}` : ''}` };
    return item;
  }

  /** Refreshes only the models the changes name. */
  refreshChanges(changes: ModelsChange[]): void {
    if (changes.length === 0) return;
    if (changes.some((c) => c.kind === 'root')) return this.changeEmitter.fire(undefined);
    this.refreshModels(changes.map((c) => (c.kind === 'model' ? c.name : '')));
  }

  /** Re-renders these models' nodes and versions (e.g. a deployment started serving one). */
  refreshModels(names: string[] = [...this.modelNodes.keys()]): void {
    const nodes = [...new Set(names)].map((n) => this.modelNodes.get(n)).filter((n): n is ModelsNode & { kind: 'model' } => n !== undefined);
    if (nodes.length) this.changeEmitter.fire(nodes);
  }

  refreshAll(): void {
    this.model.reset();
    this.changeEmitter.fire(undefined);
  }

  private modelNode(m: RegisteredModel): ModelsNode & { kind: 'model' } {
    const node = this.modelNodes.get(m.name) ?? { kind: 'model' as const, model: m };
    node.model = m;
    this.modelNodes.set(m.name, node);
    return node;
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
