import type * as vscode from 'vscode';
import type { BackendConnection } from '../backend/backend-connection';
import type { RemoteCredentials } from '../backend/remote-credentials';
import type { TrackCodeLensProvider } from '../codelens/track-codelens';
import type { CodeDiffService } from '../diff/code-diff-service';
import type { DatasetsFeature } from '../datasets/datasets-feature';
import type { ReportDocuments } from '../reproduce/report-documents';
import type { ReproduceRunner } from '../reproduce/reproduce-runner';
import type { RunDocuments } from '../diff/run-documents';
import type { Log } from '../log';
import type { MonitorsTreeProvider } from '../monitors/monitors-tree';
import type { PipelineTreeProvider } from '../pipelines/pipeline-tree';
import type { RunsModel } from '../runs/runs-model';
import type { RunsNode, RunsTreeProvider } from '../runs/runs-tree';
import type { TrackLauncher } from '../track/track-launcher';
import type { Panels } from '../webviews/panels';
import type { CommandId } from './command-ids';
import type { DeploymentsNode, DeploymentsTreeProvider } from '../deployments/deployments-tree';
import type { TestRequests } from '../deployments/test-requests';
import type { ModelsNode, ModelsTreeProvider } from '../models/models-tree';

/** The services commands work with (built once by the container). */
export interface CairnServices {
  extensionUri: vscode.Uri;
  log: Log;
  backend: BackendConnection;
  credentials: RemoteCredentials;
  model: RunsModel;
  tree: RunsTreeProvider;
  treeView: vscode.TreeView<RunsNode>;
  codeLens: TrackCodeLensProvider;
  launcher: TrackLauncher;
  panels: Panels;
  runDocs: RunDocuments;
  codeDiff: CodeDiffService;
  modelsTree: ModelsTreeProvider;
  modelsView: vscode.TreeView<ModelsNode>;
  deploymentsTree: DeploymentsTreeProvider;
  deploymentsView: vscode.TreeView<DeploymentsNode>;
  testRequests: TestRequests;
  datasets: DatasetsFeature;
  reproduce: ReproduceRunner;
  reports: ReportDocuments;
  monitors: MonitorsTreeProvider;
  pipeline: PipelineTreeProvider;
}

/** One palette/menu command. Its result is returned to `executeCommand` callers (tests, webviews). */
export interface CairnCommand {
  id: CommandId;
  run(s: CairnServices, ...args: unknown[]): unknown;
}
