import { CairnClient } from '../../client/cairn-client';
import { discoverBackend, findWorkspaceRoot } from '../../client/discovery';
import { UsageError, type Command } from '../command';

export const monitorsCommand: Command = {
  name: 'monitors',
  summary: "The backend's monitors: load them from cairn.yaml, list their state, check one now, read the audit trail",
  usage: `cairn monitors sync          load monitors: and retrain: from the workspace's cairn.yaml into the backend
cairn monitors [list]        each monitor's state (new, waiting, ok, drift, error) and last check
cairn monitors check NAME    run NAME's drift check now (prints the report's summary)
cairn monitors audit [N]     the last N automated steps (default 20), newest first`,
  async run(argv) {
    const [sub = 'list', arg] = argv;
    const loc = await discoverBackend({ workspace: findWorkspaceRoot(process.cwd()) });
    const client = new CairnClient({ url: loc.url, token: loc.token, timeoutMs: 30 * 60_000 });
    const out = (s: string) => process.stdout.write(s + '\n');
    if (sub === 'sync') {
      const { monitors } = await client.syncMonitors();
      out(`${monitors.length} monitor(s): ${monitors.map((m) => m.name).join(', ') || '-'}`);
    } else if (sub === 'list') {
      for (const m of (await client.listMonitors()).monitors) {
        out(`${m.name}  ${m.state}  deployment=${m.deployment} reference=${m.reference} every=${m.every_ms / 1000}s window=${m.window_ms / 1000}s${m.last_check ? ` last=${new Date(m.last_check).toISOString()}` : ''}${m.last_error ? ` error=${m.last_error}` : ''}`);
      }
    } else if (sub === 'check') {
      if (!arg) throw new UsageError('check needs a monitor NAME');
      const { monitor, report } = await client.checkMonitor(arg);
      out(`${monitor.name}: ${monitor.state}${report ? ` — ${report.number_of_drifted_columns}/${report.number_of_columns} columns drifted (report ${report.id})` : monitor.last_error ? ` — ${monitor.last_error}` : ''}`);
    } else if (sub === 'audit') {
      const n = arg === undefined ? 20 : Number(arg);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`N must be a positive integer, got '${arg}'`);
      for (const e of await client.audit({ limit: n })) out(`${new Date(e.time).toISOString()}  ${e.kind}${e.monitor ? ` [${e.monitor}]` : ''}${e.trigger ? ` (${e.trigger})` : ''}  ${JSON.stringify(e.detail)}`);
    } else throw new UsageError(`unknown subcommand '${sub}'`);
    return 0;
  },
};
