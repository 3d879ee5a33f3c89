import * as vscode from 'vscode';
import type { BackendConnection } from '../backend/backend-connection';
import type { LiveEvents } from '../backend/live-events';
import { ServingClient } from '../../backend/client/serving-client';
import { DeploymentsModel } from '../deployments/deployments-model';
import { DeploymentsTreeProvider, type DeploymentsNode } from '../deployments/deployments-tree';
import { RESPONSE_SCHEME, TestRequests } from '../deployments/test-requests';
import { TrafficPoller } from '../deployments/traffic-poller';
import type { Log } from '../log';
import { ModelsModel } from './models-model';
import { ModelsTreeProvider, type ModelsNode } from './models-tree';

/**
 * The Models and Deployments views and their documents (test requests and responses), wired to
 * the backend and its events.
 * Built once by the container, which owns the returned disposables.
 */
export function createServingViews(backend: BackendConnection, live: LiveEvents, log: Log) {
  const disposables: vscode.Disposable[] = [];
  const own = <T extends vscode.Disposable>(d: T): T => {
    disposables.push(d);
    return d;
  };
  const serving = () => (backend.client ? new ServingClient(backend.client) : undefined);
  const deploymentsModel = new DeploymentsModel(serving);
  const modelsModel = new ModelsModel(serving);
  const modelsTree = own(new ModelsTreeProvider(modelsModel, deploymentsModel, log));
  const deploymentsTree = own(new DeploymentsTreeProvider(deploymentsModel, () => backend.client?.url, log));
  const modelsView = own(vscode.window.createTreeView<ModelsNode>('cairn.models', { treeDataProvider: modelsTree, showCollapseAll: true }));
  const deploymentsView = own(vscode.window.createTreeView<DeploymentsNode>('cairn.deployments', { treeDataProvider: deploymentsTree, showCollapseAll: true }));
  const testRequests = own(new TestRequests(backend));
  own(vscode.workspace.registerTextDocumentContentProvider(RESPONSE_SCHEME, testRequests));
  own(
    new TrafficPoller(deploymentsView, {
      hasDeployments: () => deploymentsModel.hasDeployments,
      fetch: () => serving()?.servingStats(),
      apply: (t) => deploymentsModel.applyTraffic(t),
      refresh: (c) => deploymentsTree.refreshChanges(c),
      log,
    }),
  );
  const warn = (what: string) => (err: unknown) => log.warn('tree', `${what}: ${(err as Error).message}`);
  own(
    live.onEvent((e) => {
      if (e.type === 'model.updated') {
        void modelsModel.apply(e).then((c) => modelsTree.refreshChanges(c), warn(`event ${e.type}`));
      } else if (e.type === 'deployment.updated') {
        void deploymentsModel.apply(e).then((changes) => {
          deploymentsTree.refreshChanges(changes);
          const models = changes.flatMap((c) => c.models);
          // An unknown set (the list was reloaded): every model's deployed markers may have changed.
          if (changes.length) modelsTree.refreshModels(models.length ? models : undefined);
        }, warn(`event ${e.type}`));
      }
    }),
  );
  const reload = () => {
    deploymentsTree.refreshAll();
    modelsTree.refreshAll();
  };
  own(live.onResync(reload));
  own(backend.onDidChangeClient(reload));
  // Connect in the background once one of these views is shown.
  const connectIfVisible = () => {
    if ((modelsView.visible || deploymentsView.visible) && !backend.client) backend.ready().catch(() => undefined);
  };
  own(modelsView.onDidChangeVisibility(connectIfVisible));
  own(deploymentsView.onDidChangeVisibility(connectIfVisible));
  return { services: { modelsTree, modelsView, deploymentsTree, deploymentsView, testRequests }, disposables };
}
