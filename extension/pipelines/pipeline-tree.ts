import * as vscode from 'vscode';
import type { DeliveredEvent } from '../../backend/api/cairn';
import type { PipelineStatusResponse, StageStatus } from '../../backend/api/pipelines';
import { BackendError } from '../../backend/client/cairn-client';
import type { BackendConnection } from '../backend/backend-connection';
import type { Log } from '../log';
import { executionSummary, STAGE_ICONS, stageDescription, stageDetails, stageTooltip } from './pipeline-presentation';

export type PipelineNode =
  | { kind: 'execution'; text: string; runId: string }
  | { kind: 'stage'; stage: StageStatus }
  | { kind: 'detail'; stage: string; label: string; description: string };

/**
 * The Pipeline view: cairn.yaml's stages as a DAG in execution order (each after its upstream
 * stages, which its description names), with each stage's state and last outcome. Runs of the
 * pipelines experiment (live events) reload it.
 */
export class PipelineTreeProvider implements vscode.TreeDataProvider<PipelineNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private status: PipelineStatusResponse | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly backend: BackendConnection,
    private readonly log: Log,
  ) {}

  /** The status last shown (undefined: no cairn.yaml, or not loaded yet). */
  get current(): PipelineStatusResponse | undefined {
    return this.status;
  }

  refresh(): void {
    this.changeEmitter.fire();
  }

  onEvent(e: DeliveredEvent): void {
    const ours = (e.type === 'run.created' || e.type === 'run.updated') && (!this.status?.experiment_id || e.experimentId === this.status.experiment_id);
    if (!ours && e.type !== 'experiment.created') return;
    // a pipeline run sends bursts of run events: redraw once per burst
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 300);
  }

  async getChildren(node?: PipelineNode): Promise<PipelineNode[]> {
    if (node?.kind === 'stage') return stageDetails(node.stage).map((d) => ({ kind: 'detail', stage: node.stage.name, ...d }));
    if (node) return [];
    const client = this.backend.client;
    if (!client) return [];
    try {
      this.status = await client.pipelineStatus();
    } catch (err) {
      this.status = undefined;
      if (!BackendError.is(err, 'RESOURCE_DOES_NOT_EXIST')) this.log.warn('tree', `pipeline: cannot read it: ${(err as Error).message}`);
      return [];
    }
    const summary = executionSummary(this.status);
    const head: PipelineNode[] = summary && this.status.last_execution ? [{ kind: 'execution', text: summary, runId: this.status.last_execution.run_id }] : [];
    return [...head, ...this.status.stages.map((stage): PipelineNode => ({ kind: 'stage', stage }))];
  }

  getTreeItem(node: PipelineNode): vscode.TreeItem {
    switch (node.kind) {
      case 'execution': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = 'pipeline:execution';
        item.iconPath = new vscode.ThemeIcon('history');
        item.command = { command: 'cairn.run.open', title: 'Open Run', arguments: [node.runId] };
        return item;
      }
      case 'stage': {
        const s = node.stage;
        const hasDetails = stageDetails(s).length > 0;
        const item = new vscode.TreeItem(s.name, hasDetails ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `stage:${s.name}`;
        item.description = stageDescription(s);
        item.tooltip = stageTooltip(s);
        const icon = STAGE_ICONS[s.state];
        item.iconPath = new vscode.ThemeIcon(icon.icon, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
        item.contextValue = `cairn:stage+${s.state}`;
        if (s.last) item.command = { command: 'cairn.run.open', title: 'Open Run', arguments: [s.last.run_id] };
        item.accessibilityInformation = { label: `Stage ${s.name}, ${icon.label}` };
        return item;
      }
      case 'detail': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = `stage:${node.stage}:${node.label}`;
        item.description = node.description;
        return item;
      }
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changeEmitter.dispose();
  }
}
