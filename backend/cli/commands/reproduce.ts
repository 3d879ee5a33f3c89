import { parseArgs } from 'node:util';
import type { ReproduceReport } from '../../api/reproduce';
import { BackendError, CairnClient } from '../../client/cairn-client';
import { discoverBackend } from '../../client/discovery';
import { ObjectClient } from '../../client/object-client';
import { cairnRunLauncher } from '../../reproduce/cairn-run-launcher';
import { reproduceRun } from '../../reproduce/reproduce';
import { UsageError, type Command } from '../command';
import { currentWorkspace, printJson, say, storeOwner } from '../data-context';

export const reproduceCommand: Command = {
  name: 'reproduce',
  summary: 'Re-run a tracked run from its commit, code diff and data versions, and compare the results',
  usage: `cairn reproduce RUN_ID [--worktree DIR] [--tolerance T] [--remote URL] [--token T] [--json]

  Creates a git worktree at the run's commit, applies the code diff it recorded, checks out the
  exact data versions it used (fetching missing ones from the backend), runs the same command as a
  new run tagged cairn.reproduced_from=RUN_ID, and compares: code identical, data identical, params
  identical, metrics equal or within the tolerance. Exit code 0 when reproduced, 1 otherwise.
  Fails before creating anything if the commit, the diff or a data object cannot be found.

  --worktree DIR   where to create the worktree (default .cairn/worktrees/<run>-<time>)
  --tolerance T    metrics match when |a-b| <= T*max(1,|a|,|b|) (default 0: bit for bit)
  --remote URL     the backend holding the run (default: $CAIRN_TRACKING_URI, else the local server)
  --token T        its token (default $CAIRN_REMOTE_TOKEN)`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { worktree: { type: 'string' }, tolerance: { type: 'string' }, remote: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) throw new UsageError('expected one RUN_ID');
    const tolerance = values.tolerance === undefined ? 0 : Number(values.tolerance);
    if (!Number.isFinite(tolerance) || tolerance < 0) throw new UsageError(`--tolerance must be a non-negative number, got '${values.tolerance}'`);
    const ws = await currentWorkspace();
    const found = values.remote
      ? { url: values.remote, token: values.token ?? process.env['CAIRN_REMOTE_TOKEN'] }
      : await discoverBackend({ workspace: storeOwner(ws), log: (m) => process.stderr.write(`[cairn] ${m}\n`) });
    const client = new CairnClient({ url: found.url, token: found.token });
    const log = (m: string) => process.stderr.write(`[cairn] ${m}\n`);
    let report: ReproduceReport;
    try {
      report = await reproduceRun({
        workspace: ws.root,
        runId: positionals[0]!,
        client,
        objects: new ObjectClient(client),
        worktreeDir: values.worktree,
        tolerance,
        launcher: cairnRunLauncher({ url: found.url, token: found.token, log, stdout: values.json ? process.stderr : process.stdout }),
        log,
      });
    } catch (err) {
      if (err instanceof BackendError) {
        process.stderr.write(`cairn reproduce: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    if (values.json) return printJson(report), report.reproduced ? 0 : 1;
    printReport(report);
    return report.reproduced ? 0 : 1;
  },
};

function printReport(r: ReproduceReport): void {
  const mark = (ok: boolean) => (ok ? 'identical' : 'DIFFERENT');
  say('');
  say(`run ${r.original_run_id} reproduced as ${r.new_run_id} (exit code ${r.exit_code})`);
  say(`  code:    ${mark(r.code.identical)} — ${r.code.detail}`);
  say(`  data:    ${mark(r.data.identical)}${r.data.datasets.length ? '' : ' (the run recorded no tracked datasets)'}`);
  for (const d of r.data.datasets) say(`           ${d.path}: ${d.hash_original.slice(0, 12)} → ${d.hash_reproduced?.slice(0, 12) ?? '(none)'}${d.note ? ` (${d.note})` : ''}`);
  say(`  params:  ${mark(r.params.identical)}`);
  for (const p of r.params.differences) say(`           ${p.key}: ${p.original ?? '(none)'} → ${p.reproduced ?? '(none)'}`);
  const label = r.metrics.within_tolerance ? (r.metrics.metrics.every((m) => m.status === 'equal') ? 'equal' : `within tolerance ${r.metrics.tolerance}`) : 'DIFFERENT';
  say(`  metrics: ${label}`);
  for (const m of r.metrics.metrics) say(`           ${m.key}: ${m.original ?? '(none)'} → ${m.reproduced ?? '(none)'}  ${m.status}`);
  say(r.reproduced ? 'Reproduced.' : 'NOT reproduced.');
  say(`worktree: ${r.worktree}  (remove with: git worktree remove --force ${r.worktree})`);
}
