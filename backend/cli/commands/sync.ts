import { parseArgs } from 'node:util';
import { CairnClient } from '../../client/cairn-client';
import { runningServer } from '../../client/discovery';
import { startServer, type RunningServer } from '../../server/start-server';
import { runSync } from '../../sync/sync-engine';
import { SyncState, sourceIdOf } from '../../sync/sync-state';
import { UsageError, type Command } from '../command';
import { defaultStoreDir } from '../store-dir';

export const syncCommand: Command = {
  name: 'sync',
  summary: 'Upload runs, metrics, artifacts and models from the local store to a remote backend',
  usage: `cairn sync --to URL [--token TOKEN] [--store DIR] [--from URL [--from-token TOKEN]] [--full]

  --to URL        the remote (team) backend
  --token TOKEN   a personal token of a writer there (default $CAIRN_REMOTE_TOKEN)
  --store DIR     the local store (default $CAIRN_STORE, else ./.cairn); its running server is
                  used, else one is started inside this command for the duration of the sync
  --from URL      read from this backend instead (with --from-token, default $CAIRN_TOKEN)
  --full          re-check every item on the remote, ignoring what earlier syncs recorded

Runs keep their ids (params, tags, metric histories, status, times, dataset inputs, artifacts);
experiments are matched by name; registered models, versions (linked to the same runs), stages
and aliases follow. Running it again changes nothing; an interrupted sync resumes. What was sent
is recorded in <store>/sync/.`,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { to: { type: 'string' }, token: { type: 'string' }, store: { type: 'string' }, from: { type: 'string' }, 'from-token': { type: 'string' }, full: { type: 'boolean' } },
      strict: true,
    });
    if (!values.to) throw new UsageError('--to URL is required');
    const storeDir = values.store ?? defaultStoreDir();
    const target = new CairnClient({ url: values.to, token: values.token ?? process.env['CAIRN_REMOTE_TOKEN'], timeoutMs: 120_000 });
    let local: RunningServer | undefined;
    let source: CairnClient;
    if (values.from) source = new CairnClient({ url: values.from, token: values['from-token'] ?? process.env['CAIRN_TOKEN'], timeoutMs: 120_000 });
    else {
      const running = await runningServer(storeDir);
      if (running) source = new CairnClient({ url: running.url, token: running.token, timeoutMs: 120_000 });
      else {
        local = await startServer({ storeDir, port: 0, log: () => {} });
        source = new CairnClient({ url: local.url, token: local.token, timeoutMs: 120_000 });
      }
    }
    const state = SyncState.forTarget(storeDir, values.to);
    const started = Date.now();
    try {
      await target.health();
      const summary = await runSync(
        { source, target, sourceId: sourceIdOf(storeDir), experiments: new Map(), log: (m) => process.stdout.write(`${m}\n`) },
        state,
        undefined,
        values.full ?? false,
      );
      for (const [kind, s] of Object.entries(summary)) {
        process.stdout.write(`${kind}s: ${s.items} found, ${s.skipped} already synced, ${s.pushed} pushed, ${s.changes} change(s) on the remote\n`);
      }
      process.stdout.write(`synced to ${values.to} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      return 0;
    } finally {
      state.close();
      await local?.close();
    }
  },
};
