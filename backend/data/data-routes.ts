import type { EventBus } from '../events/event-bus';
import type { Route } from '../server/router';
import type { DatasetStore } from '../store/metadata-store';
import { newObjectBatch } from '../store/object-batch';
import type { ObjectStore } from '../store/object-store';
import { datasetRoutes } from './dataset-routes';
import { objectRoutes } from './object-routes';

/** Every native data-versioning endpoint: objects (push/pull) and datasets. */
export function dataRoutes(deps: { objects: ObjectStore; datasets: DatasetStore; events: EventBus; fsync: boolean }): Route[] {
  return [
    ...objectRoutes({ objects: deps.objects, datasets: deps.datasets, newBatch: () => newObjectBatch(deps.objects, deps.fsync) }),
    ...datasetRoutes(deps.datasets, deps.events),
  ];
}
