import * as vscode from 'vscode';
import type { Experiment, Run } from '../../backend/api/mlflow';
import { settings } from '../config';
import { setContext } from '../context-keys';
import type { Log } from '../log';
import { experimentNodeId, runContextValue, runDescription, runName, runNodeId, runTooltip, STATUS_ICONS, isStarred } from './run-presentation';
import type { Change, RunsModel } from './runs-model';

export type RunsNode =
  | { kind: 'experiment'; experiment: Experiment }
  | { kind: 'run'; run: Run }
  | { kind: 'more'; experimentId: string; shown: number }
  | { kind: 'message'; text: string; experimentId: string };

/**
 * The Runs view: experiments → runs (newest first). Nodes have stable ids, so expansion and
 * selection survive refreshes; a change event refreshes only the nodes it touched.
 */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<RunsNode | RunsNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly experimentNodes = new Map<string, RunsNode & { kind: 'experiment' }>();
  private readonly runNodes = new Map<string, RunsNode & { kind: 'run' }>();

  constructor(
    readonly model: RunsModel,
    private readonly log: Log,
  ) {}

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    try {
      if (!node) {
        const exps = await this.model.listExperiments();
        const any = await this.model.hasAnyRun();
        setContext('cairn.hasRuns', any);
        return any ? exps.map((e) => this.experimentNode(e)) : [];
      }
      if (node.kind !== 'experiment') return [];
      const id = node.experiment.experiment_id;
      const { runs, truncated } = await this.model.listRuns(id);
      const children: RunsNode[] = runs.map((r) => this.runNode(r));
      if (runs.length === 0 && this.model.query.filter) children.push({ kind: 'message', text: 'No run matches the filter', experimentId: id });
      if (truncated) children.push({ kind: 'more', experimentId: id, shown: runs.length });
      return children;
    } catch (err) {
      this.log.error('tree', 'cannot list runs', err);
      return [];
    }
  }

  getParent(node: RunsNode): RunsNode | undefined {
    if (node.kind === 'run') return this.experimentNodes.get(node.run.info.experiment_id);
    return undefined;
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'experiment': {
        const item = new vscode.TreeItem(node.experiment.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = experimentNodeId(node.experiment);
        item.iconPath = new vscode.ThemeIcon('beaker');
        item.contextValue = 'cairn:experiment';
        item.tooltip = `Experiment ${node.experiment.name} (id ${node.experiment.experiment_id})`;
        return item;
      }
      case 'run': {
        const run = node.run;
        const item = new vscode.TreeItem(runName(run), vscode.TreeItemCollapsibleState.None);
        item.id = runNodeId(run);
        item.description = `${isStarred(run) ? '★ ' : ''}${runDescription(run, settings.keyMetric())}`;
        item.tooltip = runTooltip(run);
        const icon = STATUS_ICONS[run.info.status];
        item.iconPath = new vscode.ThemeIcon(icon.icon, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
        item.contextValue = runContextValue(run);
        item.command = { command: 'cairn.run.open', title: 'Open Run', arguments: [run.info.run_id] };
        item.accessibilityInformation = { label: `Run ${runName(run)}, ${run.info.status.toLowerCase()}` };
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(`… more runs (showing ${node.shown}) — open the Runs Table`, vscode.TreeItemCollapsibleState.None);
        item.id = `/exp/${node.experimentId}/more`;
        item.command = { command: 'cairn.runs.openTable', title: 'Open Runs Table', arguments: [node.experimentId] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = `/exp/${node.experimentId}/message`;
        return item;
      }
    }
  }

  /** Refreshes only the nodes the changes name. */
  refreshChanges(changes: Change[]): void {
    if (changes.length === 0) return;
    if (changes.some((c) => c.kind === 'root')) return this.refreshAll(false);
    const nodes: RunsNode[] = [];
    for (const c of changes) {
      const node = c.kind === 'experiment' ? this.experimentNodes.get(c.experimentId) : c.kind === 'run' ? this.runNodes.get(c.runId) : undefined;
      if (node && !nodes.includes(node)) nodes.push(node);
    }
    if (nodes.length) this.changeEmitter.fire(nodes);
  }

  /** Reloads everything (filter/sort changed, reconnect, resync). */
  refreshAll(resetModel = true): void {
    if (resetModel) this.model.reset();
    this.changeEmitter.fire(undefined);
  }

  private experimentNode(e: Experiment): RunsNode & { kind: 'experiment' } {
    const node = this.experimentNodes.get(e.experiment_id) ?? { kind: 'experiment' as const, experiment: e };
    node.experiment = e;
    this.experimentNodes.set(e.experiment_id, node);
    return node;
  }

  private runNode(r: Run): RunsNode & { kind: 'run' } {
    const node = this.runNodes.get(r.info.run_id) ?? { kind: 'run' as const, run: r };
    node.run = r;
    this.runNodes.set(r.info.run_id, node);
    return node;
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
