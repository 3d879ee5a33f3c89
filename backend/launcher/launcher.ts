import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KeyValue, RunStatus } from '../api/mlflow';
import { RUN_ARTIFACTS, RUN_TAGS, type ModelCandidate } from '../api/run-record';
import { CairnClient } from '../client/cairn-client';
import { recordRunDatasets } from '../data/run-inputs';
import { discoverBackend, findWorkspaceRoot, runningServer, storeDirOf, type BackendLocation } from '../client/discovery';
import { Delivery } from './delivery';
import { flushLeftovers } from './leftovers';
import { snapshot, type WatchSpec } from './output-scanner';
import { recordEnd } from './record-end';
import { captureContext, type RunContext } from './run-context';
import { RunRecorder, safeKey } from './run-recorder';
import { runStatusOf } from './run-status';
import { Spool } from './spool';
import { watchCommand } from './watch-command';

export interface LaunchOptions {
  argv: string[];
  cwd: string;
  experiment?: string;
  /** An existing experiment's id (wins over `experiment`). */
  experimentId?: string;
  /** Extra tags for the new run (e.g. `cairn.reproduced_from`). */
  tags?: KeyValue[];
  runName?: string;
  /** `--param k=v` */
  params?: Map<string, string>;
  paramsFile?: string;
  /** Folders whose new and changed files are logged as outputs (default: the workspace minus git-ignored paths). */
  watch?: string[];
  env?: NodeJS.ProcessEnv;
  /** The launcher's own messages (default: stderr with a `[cairn]` prefix). */
  log?: (msg: string) => void;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** System metrics interval (default 5 s, or $CAIRN_SYSTEM_METRICS_INTERVAL seconds). */
  systemIntervalMs?: number;
  /** Output files larger than this are not uploaded (default 512 MiB, or $CAIRN_OUTPUT_MAX_BYTES). */
  maxOutputBytes?: number;
}

export interface LaunchResult {
  runId: string;
  status: RunStatus;
  /** The command's exit code (128 + n for a signal), which `cairn run` exits with. */
  exitCode: number;
  /** Ops still buffered on disk because the backend could not be reached by the end. */
  buffered: number;
  metrics: number;
}

function envNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = Number(env[name]);
  return env[name] && Number.isFinite(v) && v > 0 ? v : undefined;
}

/** Keeps `.cairn/` out of git (and so out of code diffs and outputs) even where no .gitignore says so. */
function prepareStore(storeDir: string): void {
  fs.mkdirSync(storeDir, { recursive: true, mode: 0o700 });
  const ignore = path.join(storeDir, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '*\n');
}

/**
 * `cairn run`: records one execution of a command as a run. Before the command starts: params,
 * git commit and diff, a snapshot of the watched folders. While it runs: its output teed to the
 * terminal, a log file, the metric parser and the live tail; system metrics; environment
 * fingerprint. After it ends: outputs and model candidates, the log, exit code and status.
 * Writes go through a Delivery, so a backend outage only delays them.
 */
export async function launchRun(opts: LaunchOptions): Promise<LaunchResult> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((m: string) => process.stderr.write(`[cairn] ${m}\n`));
  const cwd = path.resolve(opts.cwd);
  const workspace = findWorkspaceRoot(cwd);
  const storeDir = storeDirOf(workspace);
  prepareStore(storeDir);

  // The code state is read while the backend is found (both before the command starts).
  const [found, ctx] = await Promise.all([
    discoverBackend({ workspace, log }, env),
    captureContext({ argv: opts.argv, cwd, workspace, storeDir, explicitParams: opts.params ?? new Map(), paramsFile: opts.paramsFile, env }),
  ]);
  let location = found;
  const clientOf = (loc: BackendLocation, timeoutMs?: number) => new CairnClient({ url: loc.url, token: loc.token, timeoutMs });
  const client = clientOf(location);
  const local = location.source !== 'env';
  const spoolRoot = path.join(storeDir, 'spool');

  const leftovers = await flushLeftovers(spoolRoot, client, { url: location.url, local }, log);
  if (leftovers.delivered > 0) log(`delivered ${leftovers.delivered} buffered write(s) left by ${leftovers.spools} earlier run(s)`);

  const watch: WatchSpec = { workspace, roots: opts.watch?.length ? opts.watch.map((w) => path.resolve(cwd, w)) : undefined };
  const before = snapshot(watch);

  const experimentName = opts.experiment ?? env['CAIRN_EXPERIMENT'] ?? env['MLFLOW_EXPERIMENT_NAME'];
  const experimentId = opts.experimentId ?? (experimentName ? await client.ensureExperiment(experimentName) : '0');
  const tags = [...Object.entries(ctx.tags).flatMap(([key, value]) => (value === undefined ? [] : [{ key, value }])), ...(opts.tags ?? [])];
  const run = (await client.createRun({ experimentId, runName: opts.runName, tags })).info;
  log(`run ${run.run_name} (${run.run_id}) in experiment ${opts.experimentId ?? experimentName ?? 'Default'} → ${location.url}`);
  // The version of every tracked dataset (`cairn data add`), and a warning for changed ones.
  try {
    for (const w of await recordRunDatasets(client, run.run_id, workspace)) log(`warning: ${w}`);
  } catch (err) {
    log(`warning: could not record the run's dataset versions: ${(err as Error).message}`);
  }

  const spool = Spool.create(spoolRoot, { runId: run.run_id, url: location.url, local });
  const relocate = async () => {
    if (!local) return undefined;
    const rec = await runningServer(storeDir);
    if (!rec) return undefined;
    location = { ...location, url: rec.url, token: rec.token };
    return clientOf(location);
  };
  const delivery = new Delivery({ client, spool, log, relocate });
  const recorder = new RunRecorder(run, delivery);
  recorder.start();
  recordStart(recorder, ctx);

  const workDir = path.join(storeDir, 'launcher', run.run_id);
  fs.mkdirSync(workDir, { recursive: true });
  const releaseGuard = guardFinalisation(log);
  const logPath = path.join(workDir, 'output.log');
  const outcome = await watchCommand({
    argv: opts.argv,
    env,
    cwd,
    workspace,
    run,
    location,
    recorder,
    ctx,
    logPath,
    tailClient: () => (delivery.online ? clientOf(location, 3000) : undefined),
    systemIntervalMs: opts.systemIntervalMs ?? (envNumber(env, 'CAIRN_SYSTEM_METRICS_INTERVAL') ?? 5) * 1000,
    stdout: opts.stdout,
    stderr: opts.stderr,
  });

  const status = runStatusOf(outcome);
  // Model candidates the command logged itself (SDK log_model) are kept beside the ones found in its outputs.
  const logged = await loggedByCommand(delivery.currentClient, run.run_id);
  // Params go in now, minus those the command logged itself: MLflow never lets a param change, and
  // a script's own `mlflow.log_params(vars(args))` must not fail because `--augment` was recorded
  // first as `true` (Python says `True`).
  recorder.params(new Map([...ctx.params].filter(([key]) => !logged.params.has(safeKey(key)))));
  recordEnd({ watch, before, workspace, recorder, outcome, status, logPath, log, loggedCandidates: logged.candidates, maxOutputBytes: opts.maxOutputBytes ?? envNumber(env, 'CAIRN_OUTPUT_MAX_BYTES') ?? 512 * 1024 * 1024 });
  await delivery.idle();
  let buffered = 0;
  if (!delivery.online) {
    // The local server may have died for good: start one (discovery does) and deliver now.
    if (local) {
      const found = await discoverBackend({ workspace, log }, env).catch(() => undefined);
      if (found) location = found;
    }
    if (!(await delivery.reconnect())) buffered = spool.pending().length;
  }
  delivery.close();
  // What the command's SDK could not deliver itself (its process has ended now).
  if (delivery.online) await flushLeftovers(spoolRoot, delivery.currentClient, { url: location.url, local }, log).catch(() => undefined);
  releaseGuard();
  fs.rmSync(workDir, { recursive: true, force: true });
  if (buffered > 0) log(`the backend is unreachable: ${buffered} write(s) of this run are kept in ${spool.dir} and will be delivered by the next 'cairn run'`);
  log(`run ${run.run_id} ${status} (exit code ${outcome.exitCode}); ${recorder.metricCount} metric point(s)${delivery.stats.outages ? `, ${delivery.stats.replayed} delivered after an outage` : ''}`);
  return { runId: run.run_id, status, exitCode: outcome.exitCode, buffered, metrics: recorder.metricCount };
}

/**
 * While the command runs, runChild passes stop signals on to it. Once it has ended, a stop signal
 * would cut the record short (outputs, log, status): the first one only warns, a second one exits.
 */
function guardFinalisation(log: (msg: string) => void): () => void {
  let warned = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (process.listenerCount(sig) > 1) return; // the command is still running: runChild handles it
    if (warned) process.exit(130);
    warned = true;
    log('finishing the run record (outputs, log, status); send the signal again to abandon it');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

function recordStart(recorder: RunRecorder, ctx: RunContext): void {
  if (ctx.git && ctx.git.diff.length > 0) recorder.artifactData(RUN_ARTIFACTS.codeDiff, ctx.git.diff);
}

/** What the command logged into the run itself (SDK or mlflow client): param keys and model candidates. */
async function loggedByCommand(client: CairnClient, runId: string): Promise<{ params: Set<string>; candidates: ModelCandidate[] }> {
  try {
    const run = await client.getRun(runId);
    let candidates: ModelCandidate[] = [];
    try {
      candidates = JSON.parse(run.data.tags?.find((t) => t.key === RUN_TAGS.modelCandidates)?.value ?? '[]') as ModelCandidate[];
    } catch {
      // not a list we wrote
    }
    return { params: new Set((run.data.params ?? []).map((p) => p.key)), candidates };
  } catch {
    return { params: new Set(), candidates: [] };
  }
}

