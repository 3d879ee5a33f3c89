import * as vscode from 'vscode';
import type { DeliveredEvent } from '../../backend/api/cairn';
import type { DataDiffReport } from '../../backend/api/data';
import type { CairnClient } from '../../backend/client/cairn-client';
import type { HostActions, HostRequests } from '../../webview-ui/protocol/host';
import { INIT_STATE_KEY, panelKey, type PanelInit } from '../../webview-ui/protocol/panels';
import { requestsOverClient } from '../../webview-ui/hosts/client-requests';
import type { BackendConnection } from '../backend/backend-connection';
import type { Log } from '../log';
import { PanelBridge } from './panel-bridge';
import { panelHtml } from './webview-html';

const VIEW_TYPES = { 'runs-table': 'cairn.runsTable', 'run-detail': 'cairn.runDetail', compare: 'cairn.compare', 'dataset-diff': 'cairn.datasetDiff', 'drift-report': 'cairn.driftReport', 'model-card': 'cairn.modelCard' } as const;

interface OpenPanel {
  key: string;
  panel: vscode.WebviewPanel;
  bridge: PanelBridge;
}

/** Opens (or reveals) the webview panels and fans live events out to them. */
export class Panels implements vscode.Disposable {
  private readonly open = new Map<string, OpenPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly backend: BackendConnection,
    private readonly log: Log,
  ) {}

  openRunsTable(experimentIds: string[]): Promise<string> {
    const init: PanelInit = { panel: 'runs-table', state: { experimentIds } };
    return this.show(init, panelKey(init), 'Cairn: Runs');
  }

  async openRunDetail(runId: string): Promise<string> {
    const name = this.open.has(`run:${runId}`) ? '' : await (await this.backend.ready()).getRun(runId).then((r) => r.info.run_name, () => '');
    const init: PanelInit = { panel: 'run-detail', state: { runId } };
    return this.show(init, panelKey(init), `Run ${name || runId.slice(0, 8)}`);
  }

  openCompare(runIds: string[]): Promise<string> {
    const init: PanelInit = { panel: 'compare', state: { runIds } };
    return this.show(init, panelKey(init), `Compare ${runIds.length} runs`);
  }

  openDatasetDiff(report: DataDiffReport): Promise<string> {
    const init: PanelInit = { panel: 'dataset-diff', state: { report } };
    const label = (rev: string) => (rev.length === 40 ? rev.slice(0, 8) : rev);
    // 'workspace' is a moving side: a new diff replaces the panel instead of revealing a stale one.
    this.open.get(panelKey(init))?.panel.dispose();
    return this.show(init, panelKey(init), `Diff ${report.path.split('/').pop()} ${label(report.a)}↔${label(report.b)}`);
  }

  openDriftReport(reportId: string, title?: string): Promise<string> {
    const init: PanelInit = { panel: 'drift-report', state: { reportId } };
    return this.show(init, panelKey(init), title ?? `Drift report ${reportId.slice(0, 8)}`);
  }

  openModelCard(name: string, version: string): Promise<string> {
    const init: PanelInit = { panel: 'model-card', state: { name, version } };
    return this.show(init, panelKey(init), `Model ${name} v${version}`);
  }

  event(e: DeliveredEvent): void {
    for (const p of this.open.values()) p.bridge.event(e);
  }

  resync(): void {
    for (const p of this.open.values()) p.bridge.resync();
  }

  /** The requests an open panel's webview made and got answered (for tests). */
  servedRequests(key: string): readonly string[] {
    return this.open.get(key)?.bridge.served ?? [];
  }

  /** Keys of the open panels (`run:<id>`, `compare:<ids>` …), for tests. */
  get openKeys(): string[] {
    return [...this.open.keys()];
  }

  private async show(init: PanelInit, key: string, title: string): Promise<string> {
    await this.backend.ready();
    const existing = this.open.get(key);
    if (existing) {
      existing.panel.reveal();
      return key;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPES[init.panel], title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {
      enableScripts: true,
      localResourceRoots: [this.distWebview],
      // The runs table keeps 10,000 rows and its scroll position: worth keeping alive when hidden.
      retainContextWhenHidden: init.panel === 'runs-table',
    });
    this.attach(panel, init, key);
    this.log.info('webview', `opened ${key}`);
    return key;
  }

  /** The request handlers over the current client (rebuilt when the backend changes). */
  private async requests(): Promise<HostRequests> {
    const client = await this.backend.ready();
    if (this.handlers?.client !== client) this.handlers = { client, requests: requestsOverClient(client) };
    return this.handlers.requests;
  }
  private handlers: { client: CairnClient; requests: HostRequests } | undefined;

  private get distWebview(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
  }

  /** Gives a panel (new, or restored by VS Code after a reload) its HTML and its bridge. */
  private attach(panel: vscode.WebviewPanel, init: PanelInit, key: string): void {
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'cairn.svg');
    panel.webview.options = { enableScripts: true, localResourceRoots: [this.distWebview] };
    const asset = (f: string) => panel.webview.asWebviewUri(vscode.Uri.joinPath(this.distWebview, f)).toString();
    panel.webview.html = panelHtml(init, { cspSource: panel.webview.cspSource, scriptUri: asset('vscode.js'), styleUris: [asset('panel.css')] });
    const bridge = new PanelBridge(panel, init.panel, () => this.requests(), this.actions(), this.log);
    this.open.set(key, { key, panel, bridge });
    panel.onDidDispose(() => {
      bridge.dispose();
      this.open.delete(key);
    });
  }

  /** Restores panels that were open when the window reloaded (their PanelInit is in the webview state). */
  registerSerializers(): vscode.Disposable[] {
    return (Object.keys(VIEW_TYPES) as PanelInit['panel'][]).map((name) =>
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPES[name], {
        deserializeWebviewPanel: async (panel, state: { [INIT_STATE_KEY]?: PanelInit } | undefined) => {
          const init = state?.[INIT_STATE_KEY];
          if (!init || init.panel !== name) {
            panel.dispose();
            return;
          }
          this.attach(panel, init, panelKey(init));
          this.log.info('webview', `restored ${panelKey(init)}`);
        },
      }),
    );
  }

  private actions(): HostActions {
    const run = (cmd: string, ...args: unknown[]) => void vscode.commands.executeCommand(cmd, ...args);
    return {
      openRun: (id) => run('cairn.run.open', id),
      compareRuns: (ids) => run('cairn.runs.compare', ids),
      diffRuns: (ids) => run('cairn.runs.diff', ids),
      showCodeDiff: (ids) => run('cairn.runs.diffCode', ids),
      openLog: (id) => run('cairn.run.openLog', id),
    };
  }

  dispose(): void {
    for (const p of this.open.values()) p.panel.dispose();
  }
}
