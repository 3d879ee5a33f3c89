import * as path from 'node:path';
import { userAuthenticator, noAuthentication, type Authenticate } from '../auth/authenticator';
import { UserStore } from '../auth/user-store';
import { CairnError } from '../core/errors';
import { EventBus } from '../events/event-bus';
import { PgEventRelay } from '../events/pg-event-relay';
import { FileMetricHistoryStore } from '../store/fs/file-metric-history';
import { FsObjectStore } from '../store/fs/fs-object-store';
import type { MetadataStore } from '../store/metadata-store';
import type { MetricHistoryStore } from '../store/metric-history';
import type { ObjectStore } from '../store/object-store';
import { openPgStores } from '../store/pg/open-store';
import { redactUrl, type PgDb } from '../store/pg/pg-db';
import { S3ObjectStore } from '../store/s3/s3-object-store';
import { parseS3Url, s3ClientFromEnv } from '../store/s3/s3-location';
import { openSqlJsStore } from '../store/sqljs/open-store';
import { isLoopback } from './security';

export interface StoreChoice {
  /** The embedded store folder (metadata, metrics and, by default, objects). */
  storeDir: string;
  fsync: boolean;
  /** postgres://… : metadata and metric histories in PostgreSQL (team mode). */
  db?: string;
  /** Schema for Cairn's tables in that database (default public). */
  dbSchema?: string;
  /** s3://bucket/prefix, or a folder: where objects (artifacts, models, datasets) go. */
  objects?: string;
  /** Team mode without users and tokens: only on a loopback address. */
  insecureNoAuth?: boolean;
  host: string;
  checkpointIntervalMs?: number;
  log: (msg: string) => void;
}

export interface TeamServices {
  db: PgDb;
  users: UserStore;
}

export interface OpenedStores {
  meta: MetadataStore;
  history: MetricHistoryStore;
  objects: ObjectStore;
  events: EventBus;
  /** Team mode: users and tokens decide who may do what (else the single local token does). */
  authenticate?: Authenticate;
  team?: TeamServices;
  /** What the server reports as its store. */
  describe: string;
  close(): Promise<void>;
}

/**
 * Chooses the stores from the server options: the embedded default (sql.js + metric files +
 * object files under the store folder), or team mode (`db`): PostgreSQL for metadata, metric
 * histories, users and the event relay between replicas. Objects go to S3 when `objects` is an
 * s3:// URL, to a folder when it is a path, else to the store folder.
 */
export async function openStores(c: StoreChoice): Promise<OpenedStores> {
  const objects = openObjectStore(c);
  const events = new EventBus();
  if (!c.db) {
    const meta = await openSqlJsStore(c.storeDir, { fsync: c.fsync, checkpointIntervalMs: c.checkpointIntervalMs, log: (m) => c.log(`store: ${m}`) });
    const history = new FileMetricHistoryStore(path.join(c.storeDir, 'metrics'), { fsync: c.fsync });
    return {
      meta,
      history,
      objects,
      events,
      describe: c.storeDir,
      close: async () => {
        await history.close();
        await meta.close();
      },
    };
  }
  if (c.insecureNoAuth && !isLoopback(c.host)) {
    throw new CairnError('INVALID_PARAMETER_VALUE', `--insecure-no-auth is only allowed on a loopback address, not ${c.host}.`);
  }
  const pg = await openPgStores({ url: c.db, schema: c.dbSchema, log: c.log });
  const users = new UserStore(pg.db);
  if (!c.insecureNoAuth && !(await users.hasActiveCredentials())) {
    await pg.close();
    throw new CairnError(
      'INVALID_STATE',
      'A team backend needs authentication and this database has no user who can sign in. Create an admin first:\n' +
        `  cairn users add admin --role admin --db ${redactUrl(c.db)}\n` +
        '(or, for a throwaway server on 127.0.0.1 only, pass --insecure-no-auth).',
    );
  }
  if (!c.objects?.startsWith('s3://')) {
    c.log(`objects are stored in ${path.resolve(c.objects ?? path.join(c.storeDir, 'objects'))} on this host: replicas on other hosts need --objects s3://… or a shared folder`);
  }
  const relay = new PgEventRelay(pg.db, events, c.log);
  await relay.start();
  return {
    meta: pg.meta,
    history: pg.history,
    objects,
    events,
    authenticate: c.insecureNoAuth ? noAuthentication : userAuthenticator(users),
    team: { db: pg.db, users },
    describe: `${redactUrl(c.db)}${c.dbSchema ? ` (schema ${c.dbSchema})` : ''}; objects: ${c.objects ?? path.join(c.storeDir, 'objects')}`,
    close: async () => {
      await relay.close();
      await pg.close();
    },
  };
}

function openObjectStore(c: StoreChoice): ObjectStore {
  if (c.objects?.startsWith('s3://')) return new S3ObjectStore({ client: s3ClientFromEnv(), ...parseS3Url(c.objects) });
  return new FsObjectStore(path.resolve(c.objects ?? path.join(c.storeDir, 'objects')), c.fsync);
}
