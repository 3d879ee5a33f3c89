/**
 * Cairn logging SDK for JavaScript/TypeScript (Node).
 *
 *   import * as cairn from '…/sdk/js';
 *   const run = await cairn.startRun({ experiment: 'weather' });
 *   run.logParams({ lr: 0.01 });
 *   await model.fit(x, y, { callbacks: [run.tfjsCallback()] });
 *   run.logModel('out/model', 'tfjs');
 *   await run.end();
 *
 * Under `cairn run` it logs into that run (CAIRN_RUN_ID, CAIRN_TRACKING_URI, CAIRN_TOKEN) and
 * leaves ending it to the launcher. Otherwise it creates a run on the backend named by
 * CAIRN_TRACKING_URI / MLFLOW_TRACKING_URI, or the workspace's local server (started if needed).
 * Metrics are batched (≤ 1000 per request, at least once a second); writes the backend cannot
 * take are kept in `.cairn/spool/` and delivered later. Same API as `sdk/python/cairn.py`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunInfo, RunStatus } from '../../backend/api/mlflow';
import { RUN_TAGS, type ModelCandidate, type ModelFlavor } from '../../backend/api/run-record';
import { CairnClient } from '../../backend/client/cairn-client';
import { discoverBackend, findWorkspaceRoot, storeDirOf } from '../../backend/client/discovery';
import { Delivery } from '../../backend/launcher/delivery';
import { RunRecorder, safeKey } from '../../backend/launcher/run-recorder';
import { Spool } from '../../backend/launcher/spool';

export { loadFromFolder, saveToFolder } from './tfjs-io';

export interface StartRunOptions {
  experiment?: string;
  runName?: string;
  tags?: Record<string, string>;
  /** Where to look for `.cairn/` (default: the nearest folder upwards from the cwd with `.cairn` or `.git`). */
  workspace?: string;
  env?: NodeJS.ProcessEnv;
}

/** The subset of TF.js's `CustomCallbackArgs` the callback fills (structural: no tfjs import needed). */
export interface TfjsCallback {
  onEpochEnd(epoch: number, logs?: Record<string, number | { dataSync?(): ArrayLike<number> }>): Promise<void>;
  onBatchEnd?(batch: number, logs?: Record<string, number>): Promise<void>;
  onTrainEnd(): Promise<void>;
}

export class CairnRun {
  private readonly steps = new Map<string, number>();
  private ended = false;

  constructor(
    readonly info: RunInfo,
    private readonly recorder: RunRecorder,
    private readonly delivery: Delivery,
    /** True when this SDK created the run (and so ends it); false under `cairn run`. */
    readonly owned: boolean,
    private candidates: ModelCandidate[],
  ) {}

  get runId(): string {
    return this.info.run_id;
  }

  /** Logs one value. Without `step`, each key counts its own steps 0, 1, 2 … */
  logMetric(key: string, value: number, step?: number, timestamp = Date.now()): void {
    const k = safeKey(key);
    const s = step ?? this.steps.get(k) ?? 0;
    this.steps.set(k, Math.max(this.steps.get(k) ?? 0, s + 1));
    this.recorder.metric(k, value, s, timestamp);
  }

  logMetrics(metrics: Record<string, number>, step?: number, timestamp = Date.now()): void {
    for (const [k, v] of Object.entries(metrics)) this.logMetric(k, v, step, timestamp);
  }

  logParam(key: string, value: unknown): void {
    this.logParams({ [key]: value });
  }

  logParams(params: Record<string, unknown>): void {
    this.recorder.params(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])));
  }

  setTag(key: string, value: string): void {
    this.recorder.tags({ [safeKey(key)]: value });
  }

  setTags(tags: Record<string, string>): void {
    for (const [k, v] of Object.entries(tags)) this.setTag(k, v);
  }

  /** Uploads a file, or a folder recursively, under `artifactPath` (default: the run's root). Returns the artifact path. */
  logArtifact(localPath: string, artifactPath = ''): string {
    const target = [artifactPath.replace(/^\/+|\/+$/g, ''), path.basename(path.resolve(localPath))].filter(Boolean).join('/');
    if (fs.statSync(localPath).isDirectory()) {
      for (const rel of fs.readdirSync(localPath, { recursive: true }).map(String).sort()) {
        const abs = path.join(localPath, rel);
        if (fs.statSync(abs).isFile()) this.recorder.artifactFile(`${target}/${rel.split(path.sep).join('/')}`, abs);
      }
    } else this.recorder.artifactFile(target, localPath);
    return target;
  }

  /** Uploads a model file or folder and records it in `cairn.model.candidates` with its flavor. */
  logModel(localPath: string, flavor: ModelFlavor, artifactPath = 'models'): string {
    const logged = this.logArtifact(localPath, artifactPath);
    this.candidates = [...this.candidates.filter((c) => c.path !== logged), { path: logged, flavor }];
    this.recorder.tags({ [RUN_TAGS.modelCandidates]: JSON.stringify(this.candidates) });
    return logged;
  }

  /**
   * A `model.fit` callback: logs every epoch's logs (loss, acc, val_loss …) at step = epoch,
   * and, with `batches: true`, every batch's under `batch/` at a running batch step.
   */
  tfjsCallback(opts: { prefix?: string; batches?: boolean } = {}): TfjsCallback {
    const prefix = opts.prefix ?? '';
    let batchStep = 0;
    const value = (v: number | { dataSync?(): ArrayLike<number> }) => (typeof v === 'number' ? v : v.dataSync ? Number(v.dataSync()[0]) : NaN);
    const cb: TfjsCallback = {
      onEpochEnd: async (epoch, logs = {}) => {
        for (const [k, v] of Object.entries(logs)) this.logMetric(`${prefix}${k}`, value(v), epoch);
      },
      onTrainEnd: async () => {
        await this.flush();
      },
    };
    if (opts.batches) {
      cb.onBatchEnd = async (_batch, logs = {}) => {
        for (const [k, v] of Object.entries(logs)) if (k !== 'batch' && k !== 'size') this.logMetric(`${prefix}batch/${k}`, v, batchStep);
        batchStep++;
      };
    }
    return cb;
  }

  /** Resolves once everything logged so far was sent (or kept on disk while the backend is unreachable). */
  async flush(): Promise<void> {
    this.recorder.flushMetrics();
    await this.delivery.idle();
  }

  /** Ends a run this SDK created with `status`; under `cairn run` only flushes (the launcher ends the run). */
  async end(status: RunStatus = 'FINISHED'): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (this.owned) this.recorder.finish(status);
    else this.recorder.stop();
    await this.delivery.idle();
    if (!this.delivery.online) await this.delivery.reconnect();
    if (!this.delivery.online) process.stderr.write(`[cairn] backend unreachable: writes kept in ${this.delivery.spoolDir}; the next 'cairn run' delivers them\n`);
    this.delivery.close();
    if (active === this) active = undefined;
  }
}

let active: CairnRun | undefined;

/** Starts (or, under `cairn run`, attaches to) the run. */
export async function startRun(opts: StartRunOptions = {}): Promise<CairnRun> {
  if (active) return active;
  const env = opts.env ?? process.env;
  const workspace = opts.workspace ?? env['CAIRN_WORKSPACE'] ?? findWorkspaceRoot(process.cwd());
  const mlflowUrl = env['MLFLOW_TRACKING_URI']?.startsWith('http') ? env['MLFLOW_TRACKING_URI'] : undefined;
  const discoverEnv = { ...env, CAIRN_TRACKING_URI: env['CAIRN_TRACKING_URI'] ?? mlflowUrl, CAIRN_TOKEN: env['CAIRN_TOKEN'] ?? env['MLFLOW_TRACKING_TOKEN'] };
  const cliPath = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
  const location = await discoverBackend({ workspace, cliPath }, discoverEnv);
  const client = new CairnClient({ url: location.url, token: location.token });
  const attachTo = env['CAIRN_RUN_ID'] ?? env['MLFLOW_RUN_ID'];
  const run = attachTo ? await client.getRun(attachTo) : await client.createRun({ experimentId: opts.experiment ? await client.ensureExperiment(opts.experiment) : '0', runName: opts.runName, tags: startTags(opts.tags) });
  const spool = Spool.create(path.join(storeDirOf(workspace), 'spool'), { runId: run.info.run_id, url: location.url, local: location.source !== 'env' });
  const delivery = new Delivery({ client, spool, log: (m) => process.stderr.write(`[cairn] ${m}\n`) });
  const recorder = new RunRecorder(run.info, delivery);
  recorder.start();
  let candidates: ModelCandidate[] = [];
  try {
    candidates = JSON.parse(run.data.tags?.find((t) => t.key === RUN_TAGS.modelCandidates)?.value ?? '[]') as ModelCandidate[];
  } catch {
    // not ours to fix
  }
  active = new CairnRun(run.info, recorder, delivery, !attachTo, candidates);
  return active;
}

function startTags(extra: Record<string, string> = {}): { key: string; value: string }[] {
  const tags: Record<string, string> = {
    [RUN_TAGS.user]: safeUser(),
    [RUN_TAGS.sourceName]: process.argv[1] ?? '<node>',
    [RUN_TAGS.sourceType]: 'LOCAL',
    [RUN_TAGS.launcher]: 'sdk-js',
    [RUN_TAGS.command]: JSON.stringify(process.argv),
    [RUN_TAGS.host]: os.hostname(),
    ...extra,
  };
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

function current(): CairnRun {
  if (!active) throw new Error("no active Cairn run: 'await startRun()' first");
  return active;
}

export const activeRun = (): CairnRun | undefined => active;
export const logMetric = (key: string, value: number, step?: number) => current().logMetric(key, value, step);
export const logMetrics = (metrics: Record<string, number>, step?: number) => current().logMetrics(metrics, step);
export const logParam = (key: string, value: unknown) => current().logParam(key, value);
export const logParams = (params: Record<string, unknown>) => current().logParams(params);
export const setTag = (key: string, value: string) => current().setTag(key, value);
export const setTags = (tags: Record<string, string>) => current().setTags(tags);
export const logArtifact = (localPath: string, artifactPath?: string) => current().logArtifact(localPath, artifactPath);
export const logModel = (localPath: string, flavor: ModelFlavor, artifactPath?: string) => current().logModel(localPath, flavor, artifactPath);
export const tfjsCallback = (opts?: { prefix?: string; batches?: boolean }) => current().tfjsCallback(opts);
export const flush = () => (active ? active.flush() : Promise.resolve());
export const endRun = (status?: RunStatus) => (active ? active.end(status) : Promise.resolve());

// A script that forgets `end()` still gets its data delivered and its run ended.
process.on('beforeExit', () => {
  if (active) void active.end();
});
