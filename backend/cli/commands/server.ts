import { parseArgs } from 'node:util';
import { startServer } from '../../server/start-server';
import { isLoopback } from '../../server/security';
import { UsageError, type Command } from '../command';
import { defaultStoreDir } from '../store-dir';

export const serverCommand: Command = {
  name: 'server',
  summary: 'Run the tracking server (MLflow-compatible REST API, artifacts, events)',
  usage: `cairn server [--host 127.0.0.1] [--port N] [--store DIR] [--allowed-host HOST:PORT …]
             [--db postgres://… [--db-schema NAME]] [--objects s3://bucket/prefix | DIR] [--insecure-no-auth]

  --host HOST          address to bind (default 127.0.0.1; anything else exposes the server)
  --port N             port (default: the one this store used last time if free, else any free port)
  --store DIR          store folder (default: $CAIRN_STORE, else ./.cairn)
  --allowed-host H:P   also answer requests addressed to H:P (reverse proxies)
  --db URL             team mode: metadata, metric histories, users and tokens in PostgreSQL
                       (default $CAIRN_DB); run several replicas on one database
  --db-schema NAME     schema for Cairn's tables (default public)
  --objects LOC        artifacts/models/datasets in S3 (s3://bucket/prefix; AWS_* credentials,
                       CAIRN_S3_ENDPOINT for MinIO etc.) or in a folder (default <store>/objects)
  --insecure-no-auth   team mode without users and tokens; only on a loopback --host

The token comes from $CAIRN_TOKEN, or is generated; either way it is written with the port to
<store>/server.json (mode 0600). Clients send it as "Authorization: Bearer <token>"
(MLFLOW_TRACKING_TOKEN for the mlflow client). In team mode (--db) users sign in with personal
tokens (Bearer, or Basic with the token or their password); see 'cairn users' and 'cairn tokens'.`,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        store: { type: 'string' },
        'allowed-host': { type: 'string', multiple: true },
        db: { type: 'string' },
        'db-schema': { type: 'string' },
        objects: { type: 'string' },
        'insecure-no-auth': { type: 'boolean' },
      },
      strict: true,
    });
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port must be an integer 0-65535, got '${values.port}'`);
    const host = values.host ?? '127.0.0.1';
    if (!isLoopback(host)) process.stderr.write(`[cairn] warning: binding ${host} exposes the server beyond this machine; keep the token secret.\n`);
    const db = values.db ?? (process.env['CAIRN_DB'] || undefined);
    if (values['insecure-no-auth'] && !db) throw new UsageError('--insecure-no-auth only applies to a team server (--db)');
    const server = await startServer({
      storeDir: values.store ?? defaultStoreDir(),
      host,
      port,
      allowedHosts: values['allowed-host'],
      db,
      dbSchema: values['db-schema'],
      objects: values.objects,
      insecureNoAuth: values['insecure-no-auth'],
    });
    const auth = db ? 'sign in with a personal token (cairn tokens create USER)' : `token: see ${values.store ?? defaultStoreDir()}/server.json`;
    process.stdout.write(`Cairn server ready at ${server.url}\n  export MLFLOW_TRACKING_URI=${server.url}\n  ${auth}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.stderr.write('[cairn] shutting down…\n');
        server.close().then(resolve, (err) => {
          process.stderr.write(`[cairn] error while closing: ${(err as Error).message}\n`);
          resolve();
        });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
