import * as path from 'node:path';
import type { EventBus } from '../events/event-bus';
import { modelFolderOf } from '../registry/model-files';
import { modelRoutes } from '../registry/model-routes';
import type { Route } from '../server/router';
import type { MetadataStore } from '../store/metadata-store';
import type { ObjectStore } from '../store/object-store';
import { DeploymentManager } from './deployment-manager';
import { deploymentRoutes } from './deployment-routes';
import { PUBLIC_SERVING_PATHS, servingRoutes } from './serving-routes';

/** `<store>/predictions`: the prediction logs of all deployments (read them with `readPredictions`). */
export const predictionsRoot = (storeDir: string): string => path.join(storeDir, 'predictions');

export interface ServingEngine {
  manager: DeploymentManager;
  routes: Route[];
  publicPaths: string[];
  close(): Promise<void>;
}

/**
 * Registry lineage + serving, assembled for the composition root: model folders are materialized
 * under `<store>/serving/models/`, prediction logs go to `<store>/predictions/<deployment>/`.
 */
export async function startServingEngine(opts: { storeDir: string; meta: MetadataStore; objects: ObjectStore; events: EventBus; fsync: boolean; log: (m: string) => void }): Promise<ServingEngine> {
  const cache = path.join(opts.storeDir, 'serving', 'models');
  const folder = async (name: string, version: string) => modelFolderOf(opts.meta, opts.objects, await opts.meta.getModelVersion(name, version), cache);
  const manager = new DeploymentManager({
    meta: opts.meta,
    events: opts.events,
    folderOf: async (mv) => (await modelFolderOf(opts.meta, opts.objects, mv, cache)).dir,
    logRoot: predictionsRoot(opts.storeDir),
    fsync: opts.fsync,
    log: (m) => opts.log(`serving: ${m}`),
  });
  await manager.start();
  return {
    manager,
    routes: [...servingRoutes(manager), ...deploymentRoutes(manager, opts.events), ...modelRoutes({ meta: opts.meta, events: opts.events, folder })],
    publicPaths: PUBLIC_SERVING_PATHS,
    close: () => manager.close(),
  };
}
