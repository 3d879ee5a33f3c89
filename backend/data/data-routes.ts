import type { EventBus } from '../events/event-bus';
import type { Route } from '../server/router';
import { FsObjectWriter } from '../store/fs/fs-object-writer';
import type { FsObjectStore } from '../store/fs/fs-object-store';
import type { DatasetStore } from '../store/metadata-store';
import { datasetRoutes } from './dataset-routes';
import { objectRoutes } from './object-routes';

/** Every native data-versioning endpoint: objects (push/pull) and datasets. */
export function dataRoutes(deps: { objects: FsObjectStore; datasets: DatasetStore; events: EventBus; fsync: boolean }): Route[] {
  return [
    ...objectRoutes({ objects: deps.objects, datasets: deps.datasets, newBatch: () => new FsObjectWriter(deps.objects, deps.fsync) }),
    ...datasetRoutes(deps.datasets, deps.events),
  ];
}
