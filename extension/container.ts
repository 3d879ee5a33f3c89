import * as vscode from 'vscode';
import { BackendConnection } from './backend/backend-connection';
import { LiveEvents } from './backend/live-events';
import { RemoteCredentials } from './backend/remote-credentials';
import { CODELENS_SELECTOR, TrackCodeLensProvider } from './codelens/track-codelens';
import type { CairnServices } from './commands/command';
import { registerCommands } from './commands/register';
import { settings, SETTING_KEYS } from './config';
import { setContext } from './context-keys';
import { CodeDiffService } from './diff/code-diff-service';
import { DatasetsFeature } from './datasets/datasets-feature';
import { REPORT_SCHEME, ReportDocuments } from './reproduce/report-documents';
import { ReproduceRunner } from './reproduce/reproduce-runner';
import { RUN_SCHEME, RunDocuments } from './diff/run-documents';
import { Log } from './log';
import { createServingViews } from './models/serving-views';
import { MonitorsTreeProvider } from './monitors/monitors-tree';
import { PipelineTreeProvider } from './pipelines/pipeline-tree';
import { runName } from './runs/run-presentation';
import { RunsModel } from './runs/runs-model';
import { RunsTreeProvider, type RunsNode } from './runs/runs-tree';
import { CairnStatusBar } from './status/status-bar';
import { TrackLauncher } from './track/track-launcher';
import { Panels } from './webviews/panels';

/**
 * The composition root: builds every service once, in dependency order, and owns every
 * disposable (disposed in reverse). Nothing here does I/O: the backend connects the first time a
 * view or command needs it.
 */
export class Container implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  readonly services: CairnServices;

  constructor(context: vscode.ExtensionContext) {
    const own = <T extends vscode.Disposable>(d: T): T => {
      this.disposables.push(d);
      return d;
    };
    const log = own(new Log());
    const credentials = new RemoteCredentials(context.secrets);
    const backend = own(new BackendConnection(context.extensionUri.fsPath, credentials, log));
    const live = own(new LiveEvents(backend, log));
    const model = new RunsModel(() => backend.client, settings.maxRunsPerExperiment);
    const tree = own(new RunsTreeProvider(model, log));
    const treeView = own(vscode.window.createTreeView<RunsNode>('cairn.runs', { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true }));
    const codeLens = own(new TrackCodeLensProvider(log));
    const status = own(new CairnStatusBar());
    const runDocs = own(new RunDocuments(backend));
    const panels = own(new Panels(context.extensionUri, backend, log));
    const servingViews = createServingViews(backend, live, log);
    servingViews.disposables.forEach(own);
    const monitors = own(new MonitorsTreeProvider(backend, log));
    monitors.attach(own(vscode.window.createTreeView('cairn.monitors', { treeDataProvider: monitors })));
    const pipeline = own(new PipelineTreeProvider(backend, log));
    own(vscode.window.createTreeView('cairn.pipeline', { treeDataProvider: pipeline, showCollapseAll: true }));
    this.services = {
      extensionUri: context.extensionUri,
      log,
      backend,
      credentials,
      model,
      tree,
      treeView,
      codeLens,
      launcher: new TrackLauncher(backend, log),
      panels,
      runDocs,
      codeDiff: new CodeDiffService(backend, runDocs, log),
      ...servingViews.services,
      datasets: own(new DatasetsFeature(backend, log)),
      reproduce: own(new ReproduceRunner(backend, log)),
      reports: own(new ReportDocuments()),
      monitors,
      pipeline,
    };
    own(vscode.languages.registerCodeLensProvider(CODELENS_SELECTOR, codeLens));
    own(vscode.workspace.registerTextDocumentContentProvider(RUN_SCHEME, runDocs));
    own(vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this.services.reports));
    for (const d of registerCommands(this.services)) own(d);
    for (const d of panels.registerSerializers()) own(d);

    setContext('cairn.codeLensEnabled', settings.codeLensEnabled());
    own(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SETTING_KEYS.codeLensEnabled) || e.affectsConfiguration(SETTING_KEYS.trackGlobs)) {
          setContext('cairn.codeLensEnabled', settings.codeLensEnabled());
          codeLens.refresh();
        }
        if (e.affectsConfiguration(SETTING_KEYS.backendUrl) && backend.client) void backend.reconnect().catch(() => undefined);
        if (e.affectsConfiguration('cairn.runs')) tree.refreshAll();
      }),
    );
    own(backend.onDidChangeState((s) => status.setBackendState(s)));
    own(backend.onDidChangeClient(() => tree.refreshAll()));
    own(backend.onDidChangeClient(() => (monitors.refresh(), pipeline.refresh())));
    own(live.onEvent((e) => (void monitors.onEvent(e), pipeline.onEvent(e))));
    own(live.onResync(() => (monitors.refresh(), pipeline.refresh())));
    const pipelineFile = own(vscode.workspace.createFileSystemWatcher('**/{cairn.yaml,cairn.lock}'));
    for (const on of [pipelineFile.onDidChange, pipelineFile.onDidCreate, pipelineFile.onDidDelete]) own(on(() => (monitors.refresh(), pipeline.refresh())));
    own(
      live.onEvent((e) => {
        status.onEvent(e);
        panels.event(e);
        void model.apply(e).then(
          (changes) => tree.refreshChanges(changes),
          (err) => log.warn('tree', `event ${e.type}: ${(err as Error).message}`),
        );
        if (e.type === 'run.created' || e.type === 'run.updated') {
          const run = model.run(e.runId);
          if (run) status.setRunName(e.runId, runName(run));
          else if (status.liveRunIds.includes(e.runId)) void backend.client?.getRun(e.runId).then((r) => status.setRunName(e.runId, runName(r)), () => undefined);
        }
      }),
    );
    own(
      live.onResync(() => {
        tree.refreshAll();
        panels.resync();
      }),
    );
    // Connect in the background once the Runs view is shown (now, or later).
    const connectIfVisible = () => {
      if (treeView.visible && !backend.client) backend.ready().catch(() => undefined);
    };
    own(treeView.onDidChangeVisibility(connectIfVisible));
    setTimeout(connectIfVisible, 0);
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) {
      try {
        d.dispose();
      } catch {
        // keep disposing the rest
      }
    }
    this.disposables.length = 0;
  }
}
