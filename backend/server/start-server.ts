import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { ServerInfo } from '../api/cairn';
import { artifactRoutes } from '../artifacts/artifact-routes';
import { dataRoutes } from '../data/data-routes';
import { dashboardRoutes } from '../dashboard/dashboard-routes';
import { driftRoutes } from '../drift/drift-routes';
import { objectFiles } from '../drift/inputs/dataset-source';
import { monitoringRoutes } from '../monitoring/monitoring-routes';
import { pipelineRoutes } from '../pipelines/pipeline-routes';
import { qualityRoutes } from '../quality/quality-routes';
import { newToken } from '../core/ids';
import { CAIRN_VERSION } from '../core/version';
import { eventRoutes } from '../events/sse-route';
import { registryRoutes } from '../registry/registry-routes';
import { adminRoutes } from '../auth/admin-routes';
import { importRoutes } from '../sync/import-routes';
import { loggedModelRoutes } from '../registry/logged-model-routes';
import { startServingEngine } from '../serving/serving-engine';
import { logTailRoutes } from '../tracking/log-tail-routes';
import { trackingRoutes } from '../tracking/mlflow-routes';
import { nativeTrackingRoutes } from '../tracking/native-routes';
import { TrackingService } from '../tracking/tracking-service';
import { createHttpApp } from './http-app';
import { Router } from './router';
import { allowedHostsFor, isLoopback } from './security';
import { readServerRecord, writeServerRecord } from './server-record';
import { lockStore } from './store-lock';
import { openStores } from './open-stores';

export interface ServerOptions {
  storeDir: string;
  host?: string;
  /** 0 or undefined: reuse the port of the last run on this store if free, else any free port. */
  port?: number;
  /** Defaults to CAIRN_TOKEN, else the token of the last run on this store, else a new random one. */
  token?: string;
  /** Extra `host:port` values to answer to (e.g. behind a reverse proxy). */
  allowedHosts?: string[];
  fsync?: boolean;
  /** Team mode: postgres://… for metadata, metric histories, users and tokens (see open-stores.ts). */
  db?: string;
  dbSchema?: string;
  /** s3://bucket/prefix or a folder for objects (default: <store>/objects). */
  objects?: string;
  /** Team mode without users and tokens; refused unless the host is a loopback address. */
  insecureNoAuth?: boolean;
  log?: (msg: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MLFLOW_PREFIXES = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'];

/** The composition root of the backend: stores, engines, routes, HTTP, and `server.json`. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? ((m: string) => process.stderr.write(`[cairn] ${m}\n`));
  const host = opts.host ?? '127.0.0.1';
  const storeDir = path.resolve(opts.storeDir);
  fs.mkdirSync(storeDir, { recursive: true, mode: 0o700 });
  // Team replicas share nothing local: no store lock, no server.json.
  const unlock = opts.db ? () => {} : lockStore(storeDir);
  const previous = readServerRecord(storeDir);
  // The last run's token and port are reused, so terminals that exported them keep working.
  // A blank CAIRN_TOKEN (exported empty) is no token: it would leave a server no client can use.
  const token = opts.token || process.env['CAIRN_TOKEN'] || previous?.token || newToken();
  const fsync = opts.fsync ?? process.env['CAIRN_FSYNC'] !== '0';

  const checkpointIntervalMs = Number(process.env['CAIRN_CHECKPOINT_INTERVAL_MS'] ?? 10_000);
  const stores = await openStores({ storeDir, fsync, checkpointIntervalMs, db: opts.db, dbSchema: opts.dbSchema, objects: opts.objects, insecureNoAuth: opts.insecureNoAuth, host, log }).catch(
    (err) => {
      unlock();
      throw err;
    },
  );
  const { meta, history, objects, events } = stores;
  const tracking = new TrackingService({ meta, history, events });
  const started = Date.now();
  const info = (): ServerInfo => ({ version: CAIRN_VERSION, store: stores.describe, pid: process.pid, started, mode: isLoopback(host) ? 'local' : 'remote' });

  const router = new Router();
  for (const prefix of MLFLOW_PREFIXES) router.add([...trackingRoutes(tracking), ...registryRoutes(meta, events), ...loggedModelRoutes(meta, events)], prefix);
  router.add(artifactRoutes({ index: meta, objects, events }));
  router.add(nativeTrackingRoutes(tracking, info));
  router.add(eventRoutes(events));
  router.add(logTailRoutes(tracking, events));
  router.add(driftRoutes({ storeDir, objects, events, fsync, datasets: { store: meta, objectFile: objectFiles(objects, path.join(storeDir, 'tmp', 'drift-objects')) } }));
  router.add(qualityRoutes({ storeDir }));
  router.add(monitoringRoutes({ storeDir, objects, events, fsync }));
  router.add(dataRoutes({ objects, datasets: meta, events, fsync }));
  router.add(pipelineRoutes({ storeDir, runs: meta }));
  router.add([{ method: 'GET', path: '/health', handler: () => ({ status: 'OK' }) }]);
  router.add(importRoutes({ meta, history, events }));
  if (stores.team) router.add(adminRoutes(stores.team.users, stores.team.db));
  const serving = await startServingEngine({ storeDir, meta, objects, events, fsync, log });
  router.add(serving.routes);
  router.add(dashboardRoutes({ token, authenticate: stores.authenticate }));

  const security = { token, allowedHosts: new Set<string>() };
  const server = createHttpApp({ router, security, publicPaths: new Set(['/health', '/', ...serving.publicPaths]), log, authenticate: stores.authenticate });
  const port = await listen(server, host, opts.port || previous?.port || 0, !opts.port);
  for (const h of allowedHostsFor(host, port, opts.allowedHosts)) security.allowedHosts.add(h);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  if (!opts.db) writeServerRecord(storeDir, { url, host, port, pid: process.pid, token, started, version: CAIRN_VERSION });
  log(`listening on ${url} (store ${stores.describe})`);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      await serving.close();
      await stores.close();
      unlock();
    })());
  return { url, port, token, close };
}

/** Listens on `port`; if that was only a preference and it is taken, on any free port. */
function listen(server: import('node:http').Server, host: string, port: number, fallback: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (fallback && port !== 0 && err.code === 'EADDRINUSE') {
        server.listen(0, host);
        return;
      }
      reject(err);
    };
    server.on('error', onError);
    server.once('listening', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
    server.listen(port, host);
  });
}
