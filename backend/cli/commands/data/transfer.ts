import { parseArgs } from 'node:util';
import { pullData } from '../../../data/pull';
import { pushData } from '../../../data/push';
import { UsageError, type Command } from '../../command';
import { currentWorkspace, printJson, remoteFor, say } from '../../data-context';
import { formatBytes, progressLine } from '../../progress-line';

const REMOTE_OPTIONS = {
  rev: { type: 'string' },
  remote: { type: 'string' },
  token: { type: 'string' },
  jobs: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const REMOTE_HELP = `  --remote URL   a Cairn backend (default: $CAIRN_TRACKING_URI, else the workspace's local server)
  --token T      its token (default: $CAIRN_REMOTE_TOKEN with --remote, $CAIRN_TOKEN otherwise)
  --rev GITREV   the versions recorded at this git revision instead of the working tree's
  --jobs N       requests in flight at once (default 8)`;

function jobsOf(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--jobs must be an integer 1-64, got '${v}'`);
  return n;
}

/** Ctrl-C stops transfers cleanly; what was sent or fetched is kept and the next run resumes. */
function interruptible(): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  const stop = () => ac.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  return { signal: ac.signal, dispose: () => process.off('SIGINT', stop) };
}

export const dataPushCommand: Command = {
  name: 'push',
  summary: 'Upload tracked data to a Cairn backend (only what it lacks, in parallel, resumable)',
  usage: `cairn data push [PATH…] [--remote URL] [--token T] [--rev GITREV] [--jobs N] [--json]

  Sends the objects the tracked data needs that the backend does not have (small files in packs,
  large ones streamed), verified by the backend against their sha256, and registers the dataset
  versions there. An interrupted push resumes: the next one sends only what is still missing.

${REMOTE_HELP}`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: REMOTE_OPTIONS, allowPositionals: true, strict: true });
    const ws = await currentWorkspace();
    const remote = await remoteFor(ws, values.remote, values.token);
    const bar = progressLine();
    const stop = interruptible();
    const r = await pushData(ws, remote, { paths: positionals, rev: values.rev, jobs: jobsOf(values.jobs), onProgress: bar.update, signal: stop.signal }).finally(() => {
      bar.done();
      stop.dispose();
    });
    if (values.json) return printJson(r), 0;
    say(`pushed ${r.uploaded} object(s), ${formatBytes(r.bytes)} in ${r.seconds.toFixed(1)} s to ${remote.client.url} (${r.alreadyThere} of ${r.objects} were already there); registered ${r.datasets} dataset version(s)`);
    return 0;
  },
};

export const dataPullCommand: Command = {
  name: 'pull',
  summary: 'Fetch tracked data from a Cairn backend and check it out',
  usage: `cairn data pull [PATH…] [--remote URL] [--token T] [--rev GITREV] [--jobs N] [--no-checkout] [--link] [--force] [--json]

  Fetches the objects the pointers need that the local store lacks (verifying each one's sha256;
  an interrupted download resumes where it stopped), then restores the data like 'cairn data checkout'.

${REMOTE_HELP}
  --no-checkout  only fetch into the store
  --link, --force  as for 'cairn data checkout'`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...REMOTE_OPTIONS, 'no-checkout': { type: 'boolean' }, link: { type: 'boolean' }, force: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const ws = await currentWorkspace();
    const remote = await remoteFor(ws, values.remote, values.token);
    const bar = progressLine();
    const stop = interruptible();
    const r = await pullData(ws, remote, {
      paths: positionals,
      rev: values.rev,
      jobs: jobsOf(values.jobs),
      checkout: !values['no-checkout'],
      link: values.link,
      force: values.force,
      onProgress: bar.update,
      signal: stop.signal,
    }).finally(() => {
      bar.done();
      stop.dispose();
    });
    if (values.json) return printJson(r), 0;
    say(`pulled ${r.downloaded} object(s), ${formatBytes(r.bytes)} in ${r.seconds.toFixed(1)} s from ${remote.client.url} (${r.alreadyLocal} of ${r.objects} were already local)`);
    for (const c of r.checkout ?? []) if (c.written || c.deleted) say(`${c.path}: ${c.written} file(s) written, ${c.deleted} removed`);
    return 0;
  },
};
