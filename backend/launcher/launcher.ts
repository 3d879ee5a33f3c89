import * as fs from 'node:fs';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { RunInfo, RunStatus } from '../api/mlflow';
import { RUN_ARTIFACTS, RUN_TAGS, type ModelCandidate } from '../api/run-record';
import { CairnClient } from '../client/cairn-client';
import { discoverBackend, findWorkspaceRoot, runningServer, storeDirOf, type BackendLocation } from '../client/discovery';
import { runChild, type ChildOutcome } from './child-process';
import { Delivery } from './delivery';
import { fingerprint } from './env-fingerprint';
import { flushLeftovers } from './leftovers';
import { LogFile } from './log-file';
import { LogTailStreamer } from './log-tail';
import { MetricLineParser } from './metric-line-parser';
import { findModelCandidates } from './model-candidates';
import { changedFiles, snapshot, type WatchSpec } from './output-scanner';
import { captureContext, jsonListTag, type RunContext } from './run-context';
import { RunRecorder } from './run-recorder';
import { runStatusOf } from './run-status';
import { Spool } from './spool';
import { SystemSampler } from './system-sampler';

export interface LaunchOptions {
  argv: string[];
  cwd: string;
  experiment?: string;
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

const MAX_OUTPUT_FILES = 10_000;

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
  const experimentId = experimentName ? await client.ensureExperiment(experimentName) : '0';
  const run = (await client.createRun({ experimentId, runName: opts.runName, tags: Object.entries(ctx.tags).flatMap(([key, value]) => (value === undefined ? [] : [{ key, value }])) })).info;
  log(`run ${run.run_name} (${run.run_id}) in experiment ${experimentName ?? 'Default'} → ${location.url}`);

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
  const outcome = await execute({ opts, env, cwd, workspace, run, location, recorder, delivery, ctx, workDir, tailClient: () => (delivery.online ? clientOf(location, 3000) : undefined) });

  const status = runStatusOf(outcome);
  // Model candidates the command logged itself (SDK log_model) are kept beside the ones found in its outputs.
  const loggedCandidates = await delivery.currentClient
    .getRun(run.run_id)
    .then((r) => JSON.parse(r.data.tags?.find((t) => t.key === RUN_TAGS.modelCandidates)?.value ?? '[]') as ModelCandidate[])
    .catch(() => []);
  finalise({ opts, env, watch, before, workspace, recorder, outcome, status, workDir, log, loggedCandidates });
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

/** The `cairn.model.candidates` value: as many candidates as fit a tag. */
function candidatesTag(candidates: ModelCandidate[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const list = [...candidates];
  let text = JSON.stringify(list);
  while (text.length > 8000 && list.length > 1) {
    list.pop();
    text = JSON.stringify(list);
  }
  return text;
}

function recordStart(recorder: RunRecorder, ctx: RunContext): void {
  recorder.params(ctx.params);
  if (ctx.git && ctx.git.diff.length > 0) recorder.artifactData(RUN_ARTIFACTS.codeDiff, ctx.git.diff);
}

interface ExecuteArgs {
  opts: LaunchOptions;
  env: NodeJS.ProcessEnv;
  cwd: string;
  workspace: string;
  run: RunInfo;
  location: BackendLocation;
  recorder: RunRecorder;
  delivery: Delivery;
  ctx: RunContext;
  workDir: string;
  tailClient: () => CairnClient | undefined;
}

/** Runs the command with everything that watches it while it runs. */
async function execute(a: ExecuteArgs): Promise<ChildOutcome> {
  const childEnv: NodeJS.ProcessEnv = {
    ...a.env,
    CAIRN_TRACKING_URI: a.location.url,
    CAIRN_RUN_ID: a.run.run_id,
    CAIRN_EXPERIMENT_ID: a.run.experiment_id,
    CAIRN_WORKSPACE: a.workspace,
    MLFLOW_TRACKING_URI: a.location.url,
    MLFLOW_RUN_ID: a.run.run_id,
    MLFLOW_EXPERIMENT_ID: a.run.experiment_id,
    // Python buffers a piped stdout; unbuffered, its output stays live (as in a terminal).
    PYTHONUNBUFFERED: a.env['PYTHONUNBUFFERED'] ?? '1',
  };
  if (a.location.token) {
    childEnv['CAIRN_TOKEN'] = a.location.token;
    childEnv['MLFLOW_TRACKING_TOKEN'] = a.location.token;
  }
  const logFile = new LogFile(path.join(a.workDir, 'output.log'));
  const parser = new MetricLineParser((key, value, step, ts) => a.recorder.metric(key, value, step, ts));
  const tail = new LogTailStreamer(a.run.run_id, a.tailClient);
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  tail.start();
  const child = runChild({
    argv: a.opts.argv,
    cwd: a.cwd,
    env: childEnv,
    stdout: a.opts.stdout,
    stderr: a.opts.stderr,
    onOutput: (chunk, stream) => {
      logFile.append(chunk);
      const text = decoders[stream].write(chunk);
      parser.push(text, Date.now(), stream === 'stdout' ? 0 : 1);
      tail.push(text);
    },
  });
  const sampler = child.pid === undefined ? undefined : new SystemSampler(child.pid, (k, v, s, t) => a.recorder.metric(k, v, s, t), a.opts.systemIntervalMs ?? (envNumber(a.env, 'CAIRN_SYSTEM_METRICS_INTERVAL') ?? 5) * 1000);
  sampler?.start();
  // The fingerprint runs alongside the command (a `pip freeze` takes a moment).
  const fp = fingerprint({ argv: a.opts.argv, parsed: a.ctx.command }, { workspace: a.workspace, cwd: a.cwd }, a.env).then(
    (f) => {
      a.recorder.artifactData(RUN_ARTIFACTS.environment, JSON.stringify(f.environment, null, 2));
      if (f.pipFreeze) a.recorder.artifactData(RUN_ARTIFACTS.pipFreeze, f.pipFreeze + '\n');
    },
    () => undefined,
  );
  const outcome = await child.done;
  sampler?.stop();
  const now = Date.now();
  parser.push(decoders.stdout.end(), now, 0);
  parser.push(decoders.stderr.end(), now, 1);
  parser.end(now);
  await tail.stop();
  logFile.close();
  await fp;
  if (outcome.spawnError) (a.opts.stderr ?? process.stderr).write(`cairn run: ${outcome.spawnError}\n`);
  return outcome;
}

interface FinaliseArgs {
  opts: LaunchOptions;
  env: NodeJS.ProcessEnv;
  watch: WatchSpec;
  before: ReturnType<typeof snapshot>;
  workspace: string;
  recorder: RunRecorder;
  outcome: ChildOutcome;
  status: RunStatus;
  workDir: string;
  log: (msg: string) => void;
  loggedCandidates: ModelCandidate[];
}

/** Outputs, model candidates, the log, exit code, then the final status. */
function finalise(f: FinaliseArgs): void {
  const maxBytes = f.opts.maxOutputBytes ?? envNumber(f.env, 'CAIRN_OUTPUT_MAX_BYTES') ?? 512 * 1024 * 1024;
  const after = snapshot(f.watch);
  const changed = changedFiles(f.before, after).filter((rel) => !rel.startsWith('..') && !rel.includes('\\'));
  const uploaded: string[] = [];
  const skipped: string[] = [];
  for (const rel of changed) {
    if (uploaded.length >= MAX_OUTPUT_FILES || after.get(rel)!.size > maxBytes) skipped.push(rel);
    else {
      f.recorder.artifactFile(`${RUN_ARTIFACTS.outputsDir}/${rel}`, path.join(f.workspace, rel));
      uploaded.push(rel);
    }
  }
  if (skipped.length) f.log(`${skipped.length} output file(s) not uploaded (over ${maxBytes} bytes or ${MAX_OUTPUT_FILES} files): ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''}`);
  const found = findModelCandidates(uploaded, f.workspace, `${RUN_ARTIFACTS.outputsDir}/`);
  const candidates = [...f.loggedCandidates.filter((c) => !found.some((x) => x.path === c.path)), ...found];
  if (uploaded.length) f.log(`logged ${uploaded.length} output file(s)${found.length ? `; model candidates: ${found.map((c) => `${c.path} (${c.flavor})`).join(', ')}` : ''}`);
  f.recorder.artifactFile(RUN_ARTIFACTS.log, path.join(f.workDir, 'output.log'));
  f.recorder.tags({
    [RUN_TAGS.exitCode]: String(f.outcome.exitCode),
    [RUN_TAGS.modelCandidates]: candidatesTag(candidates),
    [RUN_TAGS.outputsSkipped]: skipped.length ? jsonListTag(skipped) : undefined,
  });
  f.recorder.finish(f.status);
}
