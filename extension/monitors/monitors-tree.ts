import * as vscode from 'vscode';
import type { DeliveredEvent } from '../../backend/api/cairn';
import type { MonitorStatus } from '../../backend/api/drift';
import { BackendError } from '../../backend/client/cairn-client';
import type { BackendConnection } from '../backend/backend-connection';
import type { Log } from '../log';
import { driftBadge, driftNotification, MONITOR_ICONS, monitorDescription, monitorTooltip, newlyDrifting, orderedMonitors } from './monitor-presentation';

export type MonitorNode = { kind: 'monitor'; monitor: MonitorStatus };
/** A drift notification the view raised (kept for the log and tests; the newest MAX_NOTIFICATIONS). */
export type MonitorNotification = { monitor: string; message: string };
const MAX_NOTIFICATIONS = 50;

/**
 * The Monitors view: cairn.yaml's monitors with their state as the backend runs them. Drift
 * reports of a monitor (live events) reload the list; a monitor that turns drifting raises a
 * notification and the view's badge counts the drifting ones.
 */
export class MonitorsTreeProvider implements vscode.TreeDataProvider<MonitorNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private monitors: MonitorStatus[] = [];
  private loaded = false;
  private needsSync = true;
  private view: vscode.TreeView<MonitorNode> | undefined;
  /** Drift notifications raised so far (newest last, capped), written where they are shown. */
  readonly notifications: MonitorNotification[] = [];

  constructor(
    private readonly backend: BackendConnection,
    private readonly log: Log,
  ) {}

  attach(view: vscode.TreeView<MonitorNode>): void {
    this.view = view;
  }

  get current(): readonly MonitorStatus[] {
    return this.monitors;
  }

  /** The badge on the Monitors view (how many monitors drift), as VS Code shows it. */
  get badge(): vscode.ViewBadge | undefined {
    return this.view?.badge;
  }

  /** Re-reads cairn.yaml's monitors on the backend, then redraws. */
  refresh(): void {
    this.needsSync = true;
    this.changeEmitter.fire();
  }

  async onEvent(e: DeliveredEvent): Promise<void> {
    if (e.type !== 'drift.report' || !e.monitor) return;
    await this.reload();
    this.changeEmitter.fire();
  }

  async getChildren(node?: MonitorNode): Promise<MonitorNode[]> {
    if (node) return [];
    await this.reload();
    return orderedMonitors(this.monitors).map((monitor) => ({ kind: 'monitor', monitor }));
  }

  getTreeItem(node: MonitorNode): vscode.TreeItem {
    const m = node.monitor;
    const item = new vscode.TreeItem(m.name, vscode.TreeItemCollapsibleState.None);
    item.id = `monitor:${m.name}`;
    item.description = monitorDescription(m);
    item.tooltip = monitorTooltip(m);
    const icon = MONITOR_ICONS[m.state];
    item.iconPath = new vscode.ThemeIcon(icon.icon, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    item.contextValue = `cairn:monitor+${m.state}${m.last_report ? '+report' : ''}`;
    if (m.last_report) item.command = { command: 'cairn.drift.openReport', title: 'Open Drift Report', arguments: [m.last_report] };
    item.accessibilityInformation = { label: `Monitor ${m.name}, ${icon.label}` };
    return item;
  }

  private async reload(): Promise<void> {
    const client = this.backend.client;
    if (!client) return;
    try {
      let list: MonitorStatus[];
      if (this.needsSync) {
        list = await client.syncMonitors().then(
          (r) => r.monitors,
          (err) => {
            if (BackendError.is(err, 'RESOURCE_DOES_NOT_EXIST')) return client.listMonitors().then((r) => r.monitors);
            throw err;
          },
        );
        this.needsSync = false;
      } else list = (await client.listMonitors()).monitors;
      const turned = this.loaded ? newlyDrifting(this.monitors, list) : [];
      this.monitors = list;
      this.loaded = true;
      if (this.view) this.view.badge = driftBadge(list);
      for (const m of turned) this.notify(m);
    } catch (err) {
      this.log.warn('tree', `monitors: cannot list them: ${(err as Error).message}`);
    }
  }

  private notify(m: MonitorStatus): void {
    const text = driftNotification(m);
    this.notifications.push({ monitor: m.name, message: text });
    if (this.notifications.length > MAX_NOTIFICATIONS) this.notifications.splice(0, this.notifications.length - MAX_NOTIFICATIONS);
    this.log.info('tree', `monitors: ${text}`);
    void vscode.window.showWarningMessage(text, 'Open Report', 'Retrain Now').then((pick) => {
      if (pick === 'Open Report' && m.last_report) void vscode.commands.executeCommand('cairn.drift.openReport', m.last_report);
      if (pick === 'Retrain Now') void vscode.commands.executeCommand('cairn.monitors.retrainNow', { kind: 'monitor', monitor: m } satisfies MonitorNode);
    });
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
