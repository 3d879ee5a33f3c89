import { EventBus } from '../../backend/events/event-bus';
import { FileMetricHistoryStore } from '../../backend/store/fs/file-metric-history';
import { openSqlJsStore } from '../../backend/store/sqljs/open-store';
import { TrackingService } from '../../backend/tracking/tracking-service';
import * as path from 'node:path';

/**
 * Fills a store through the tracking engine (the same code the server runs), in-process and with
 * fsync off, so benches can start a server on a store that already holds many runs.
 */
export async function populateRuns(storeDir: string, experimentName: string, count: number, opts: { params?: number; metrics?: number } = {}): Promise<string> {
  const meta = await openSqlJsStore(storeDir, { fsync: false });
  const history = new FileMetricHistoryStore(path.join(storeDir, 'metrics'), { fsync: false });
  const svc = new TrackingService({ meta, history, events: new EventBus() });
  const exp = (await meta.getExperimentByName(experimentName))?.experiment_id ?? (await meta.createExperiment({ name: experimentName }));
  const nParams = opts.params ?? 10;
  const nMetrics = opts.metrics ?? 5;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    inFlight.push(
      (async () => {
        const run = await svc.createRun({ experimentId: exp, runName: `run-${i}`, tags: [{ key: 'mlflow.user', value: `user${i % 7}` }] });
        await svc.logBatch(run.info.run_id, {
          params: Array.from({ length: nParams }, (_, p) => ({ key: `p${p}`, value: String((i * (p + 3)) % (10 + p)) })),
          metrics: Array.from({ length: nMetrics }, (_, m) => ({ key: `m${m}`, value: ((i * 7919 + m * 104729) % 10007) / 10007, timestamp: 1_700_000_000_000 + i, step: 0 })),
          tags: [],
        });
      })(),
    );
    if (inFlight.length >= 64) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  await history.close();
  await meta.close();
  return exp;
}
