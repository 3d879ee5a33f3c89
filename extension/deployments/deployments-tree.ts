import * as vscode from 'vscode';
import type { DeploymentStatus } from '../../backend/api/serving';
import type { Log } from '../log';
import { deploymentContextValue, deploymentDescription, deploymentNodeId, deploymentTooltip, detailContextValue, detailNodeId, detailRows, STATE_ICONS, type DetailRow } from './deployment-presentation';
import type { DeploymentsChange, DeploymentsModel } from './deployments-model';

export type DeploymentsNode = { kind: 'deployment'; deployment: DeploymentStatus } | { kind: 'detail'; deployment: string; row: DetailRow };

const DETAIL_ICONS: Record<DetailRow['key'], string> = { invocations: 'link', oip: 'link', version: 'versions', canary: 'git-compare', status: 'pulse', traffic: 'graph' };

/**
 * The Deployments view: deployment → URLs, version binding, status and traffic. Stable ids;
 * `deployment.updated` events refresh one node; traffic figures are polled (see TrafficPoller)
 * only while the view is visible.
 */
export class DeploymentsTreeProvider implements vscode.TreeDataProvider<DeploymentsNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<DeploymentsNode | DeploymentsNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly nodes = new Map<string, DeploymentsNode & { kind: 'deployment' }>();

  constructor(
    readonly model: DeploymentsModel,
    private readonly baseUrl: () => string | undefined,
    private readonly log: Log,
  ) {}

  async getChildren(node?: DeploymentsNode): Promise<DeploymentsNode[]> {
    try {
      if (!node) return (await this.model.list()).map((d) => this.deploymentNode(d));
      if (node.kind !== 'deployment') return [];
      const d = this.model.get(node.deployment.name) ?? node.deployment;
      return detailRows(d, this.baseUrl() ?? '').map((row) => ({ kind: 'detail' as const, deployment: d.name, row }));
    } catch (err) {
      this.log.error('tree', 'cannot list deployments', err);
      return [];
    }
  }

  getParent(node: DeploymentsNode): DeploymentsNode | undefined {
    return node.kind === 'detail' ? this.nodes.get(node.deployment) : undefined;
  }

  getTreeItem(node: DeploymentsNode): vscode.TreeItem {
    if (node.kind === 'detail') {
      const item = new vscode.TreeItem(node.row.label, vscode.TreeItemCollapsibleState.None);
      item.id = detailNodeId(node.deployment, node.row.key);
      item.description = node.row.value;
      item.tooltip = node.row.value;
      item.iconPath = new vscode.ThemeIcon(DETAIL_ICONS[node.row.key]);
      item.contextValue = detailContextValue(node.row);
      if (node.row.url) item.command = { command: 'cairn.deployment.copyUrl', title: 'Copy URL', arguments: [node.row.url] };
      return item;
    }
    const d = node.deployment;
    const item = new vscode.TreeItem(d.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = deploymentNodeId(d.name);
    item.description = deploymentDescription(d);
    item.tooltip = deploymentTooltip(d, this.baseUrl() ?? '');
    const icon = STATE_ICONS[d.state];
    item.iconPath = new vscode.ThemeIcon(icon.icon, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    item.contextValue = deploymentContextValue(d);
    item.accessibilityInformation = { label: `Deployment ${d.name}, version ${d.version}, ${d.state}` };
    return item;
  }

  refreshChanges(changes: DeploymentsChange[]): void {
    if (changes.length === 0) return;
    if (changes.some((c) => c.kind === 'root')) return this.changeEmitter.fire(undefined);
    const nodes = [...new Set(changes.map((c) => (c.kind === 'deployment' ? this.nodes.get(c.name) : undefined)))].filter((n): n is DeploymentsNode & { kind: 'deployment' } => n !== undefined);
    if (nodes.length) this.changeEmitter.fire(nodes);
  }

  refreshAll(): void {
    this.model.reset();
    this.changeEmitter.fire(undefined);
  }

  private deploymentNode(d: DeploymentStatus): DeploymentsNode & { kind: 'deployment' } {
    const node = this.nodes.get(d.name) ?? { kind: 'deployment' as const, deployment: d };
    node.deployment = d;
    this.nodes.set(d.name, node);
    return node;
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
