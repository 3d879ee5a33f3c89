import { launchRun } from '../../launcher/launcher';
import { UsageError, type Command } from '../command';

const VALUE_OPTIONS = new Set(['experiment', 'name', 'param', 'watch', 'params-file']);

interface RunArgs {
  experiment?: string;
  name?: string;
  params: Map<string, string>;
  watch: string[];
  paramsFile?: string;
  command: string[];
}

/** Splits `cairn run [options] [--] <command…>`: options end at `--` or at the first word that is not one. */
export function parseRunArgs(argv: string[]): RunArgs {
  const out: RunArgs = { params: new Map(), watch: [], command: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const t = argv[i]!;
    if (t === '--') {
      i++;
      break;
    }
    if (!t.startsWith('--')) break;
    const eq = t.indexOf('=');
    const name = t.slice(2, eq < 0 ? undefined : eq);
    if (!VALUE_OPTIONS.has(name)) throw new UsageError(`unknown option '${t}' (put the command after '--')`);
    const value = eq < 0 ? argv[++i] : t.slice(eq + 1);
    if (value === undefined) throw new UsageError(`option '--${name}' needs a value`);
    if (name === 'experiment') out.experiment = value;
    else if (name === 'name') out.name = value;
    else if (name === 'watch') out.watch.push(value);
    else if (name === 'params-file') out.paramsFile = value;
    else {
      const sep = value.indexOf('=');
      if (sep <= 0) throw new UsageError(`--param takes key=value, got '${value}'`);
      out.params.set(value.slice(0, sep), value.slice(sep + 1));
    }
  }
  out.command = argv.slice(i);
  if (out.command.length === 0) throw new UsageError('no command to run: cairn run [options] -- <command…>');
  return out;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a command as a tracked run (params, metrics from its output, code state, outputs)',
  usage: `cairn run [--experiment NAME] [--name NAME] [--param k=v …] [--params-file F] [--watch DIR …] -- <command…>

  --experiment NAME   experiment to record into (created if needed; default: $CAIRN_EXPERIMENT,
                      $MLFLOW_EXPERIMENT_NAME, else "Default")
  --name NAME         run name (default: generated)
  --param k=v         a param to record (repeatable); wins over the command line and params files
  --params-file F     a YAML or JSON params file (default: params.yaml / params.json if present)
  --watch DIR         record new and changed files under DIR as outputs (repeatable; default: the
                      workspace, minus git-ignored paths)

Finds the workspace's backend ($CAIRN_TRACKING_URI + $CAIRN_TOKEN, else the server in
.cairn/server.json, else starts one), creates the run and starts the command with CAIRN_RUN_ID,
MLFLOW_TRACKING_URI, MLFLOW_RUN_ID … set. Records the command line, git commit and uncommitted
diff, params (--lr 0.01, --lr=0.01, lr=0.01), metrics printed as key=value, key: value, JSON lines
or Keras progress, system metrics, the log, outputs and model files, and the exit status.
Ctrl-C / SIGTERM reach the command and the run is recorded as KILLED. If the backend becomes
unreachable, the run goes on and its data is buffered in .cairn/spool/ until it can be delivered.
Exits with the command's exit code.`,
  async run(argv) {
    const args = parseRunArgs(argv);
    // `cairn run … | head` must not kill the launcher (the run still has to be recorded).
    process.stdout.on('error', () => undefined);
    const result = await launchRun({
      argv: args.command,
      cwd: process.cwd(),
      experiment: args.experiment,
      runName: args.name,
      params: args.params,
      paramsFile: args.paramsFile,
      watch: args.watch,
    });
    return result.exitCode;
  },
};
