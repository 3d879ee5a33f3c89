import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Run } from '../api/mlflow';
import { REPRODUCE_RESULT_TAG, type ReproduceReport } from '../api/reproduce';
import { RUN_ARTIFACTS, RUN_TAGS } from '../api/run-record';
import { BackendError, type CairnClient } from '../client/cairn-client';
import type { ObjectClient } from '../client/object-client';
import { CairnError, invalidParam, notFound } from '../core/errors';
import { commitExists, git } from '../data/git';
import { ensureStoreIgnored } from '../data/gitignore';
import { applyPlan, planMaterialize } from '../data/materialize';
import { readPointer, pointerPathOf } from '../data/pointer';
import { fetchObjects } from '../data/pull';
import { neededObjects } from '../data/referenced';
import { datasetSourcesOf } from '../data/run-inputs';
import { StatCache } from '../data/stat-cache';
import { absPath, openWorkspace, workspaceAt, type DataWorkspace } from '../data/workspace';
import { compareDatasets, compareMetrics, compareParams } from './compare';
import type { RunLauncher } from './run-launcher';

export interface ReproduceOptions {
  /** Any folder inside the repository the run's code came from. */
  workspace: string;
  runId: string;
  /** The backend holding the run (and the new run). */
  client: CairnClient;
  /** Where data objects missing locally are fetched from (default: none, local store only). */
  objects?: ObjectClient;
  /** The worktree to create (default `.cairn/worktrees/<run>-<time>` of the main worktree). */
  worktreeDir?: string;
  /** Metric tolerance: |a − b| ≤ tolerance · max(1, |a|, |b|). Default 0 (bit for bit). */
  tolerance?: number;
  launcher: RunLauncher;
  log?: (msg: string) => void;
}

/**
 * `cairn reproduce RUN`: recreates a run's code (its commit in a new git worktree, plus its
 * recorded diff) and data (the exact versions it recorded), re-runs its command as a new run tagged
 * `cairn.reproduced_from`, and compares code, data, params and metrics. Everything that could be
 * missing (the commit, the diff, data objects) is checked before the worktree is created.
 */
export async function reproduceRun(opts: ReproduceOptions): Promise<ReproduceReport> {
  const log = opts.log ?? (() => {});
  const original = await getRun(opts.client, opts.runId);
  const tags = new Map(original.data.tags.map((t) => [t.key, t.value]));
  const argv = parseArgv(tags.get(RUN_TAGS.command), opts.runId);
  const commit = tags.get(RUN_TAGS.gitCommit);
  if (!commit) throw new CairnError('INVALID_STATE', `Run ${opts.runId} recorded no git commit (tag ${RUN_TAGS.gitCommit}); it cannot be reproduced from code.`);
  const cwdRel = safeRelative(tags.get(RUN_TAGS.cwd) ?? '.', opts.runId);
  const ws = await openWorkspace(opts.workspace);
  if (!ws.git) throw new CairnError('INVALID_STATE', `${opts.workspace} is not in a git repository.`);
  if (!(await commitExists(ws.root, commit))) {
    throw new CairnError('RESOURCE_DOES_NOT_EXIST', `Commit ${commit} (recorded by run ${opts.runId}) is not in the repository at ${ws.root}; fetch it first (git fetch --all).`);
  }
  const diff = await opts.client.downloadArtifact(original.info, RUN_ARTIFACTS.codeDiff);
  if (!diff && tags.get(RUN_TAGS.gitDirty) === 'true') {
    throw new CairnError('RESOURCE_DOES_NOT_EXIST', `Run ${opts.runId} started with uncommitted changes, but its code diff (artifact ${RUN_ARTIFACTS.codeDiff}) is missing.`);
  }
  const datasets = datasetSourcesOf(original.inputs.dataset_inputs);
  const versions = datasets.map((d) => ({ path: d.path, ref: { kind: d.kind, hash: d.hash }, size: d.kind === 'file' ? d.size : undefined }));
  await ensureObjects(ws, versions, opts.objects);

  const worktree = path.resolve(opts.worktreeDir ?? path.join(ws.storeDir, 'worktrees', `${opts.runId.slice(0, 12)}-${Date.now()}`));
  if (fs.existsSync(worktree) && fs.readdirSync(worktree).length > 0) throw invalidParam(`${worktree} exists and is not empty; choose another --worktree.`);
  if (!opts.worktreeDir) ensureStoreIgnored(ws);
  log(`creating worktree ${worktree} at ${commit.slice(0, 12)}`);
  await git(ws.root, ['worktree', 'add', '--detach', worktree, commit]);
  if (diff && diff.length > 0) await applyDiff(worktree, diff, opts.runId, commit);
  const wt = workspaceAt(fs.realpathSync(worktree), ws.storeDir, { git: true, durable: ws.durable });
  const dataNotes = await checkoutVersions(wt, versions);
  log(`running ${JSON.stringify(argv)} in ${path.join(worktree, cwdRel)}`);
  const launched = await opts.launcher.launch({
    workspace: wt.root,
    cwd: path.join(wt.root, cwdRel),
    argv,
    experimentId: original.info.experiment_id,
    runName: `${original.info.run_name} (reproduced)`,
    tags: [{ key: RUN_TAGS.reproducedFrom, value: opts.runId }],
  });
  const reproduced = await getRun(opts.client, launched.runId);
  const report = compare(original, reproduced, { worktree: wt.root, commit, diff, exitCode: launched.exitCode, tolerance: opts.tolerance ?? 0, dataNotes });
  report.code = await codeComparison(opts.client, reproduced, commit, diff);
  report.reproduced = report.code.identical && report.data.identical && report.params.identical && report.metrics.within_tolerance && report.exit_code === 0;
  const exact = report.metrics.metrics.every((m) => m.status === 'equal');
  await opts.client.logBatch(launched.runId, { tags: [{ key: REPRODUCE_RESULT_TAG, value: report.reproduced ? (exact ? 'identical' : 'within_tolerance') : 'differs' }] });
  return report;
}

async function getRun(client: CairnClient, runId: string): Promise<Run> {
  try {
    return await client.getRun(runId);
  } catch (err) {
    if (BackendError.is(err, 'RESOURCE_DOES_NOT_EXIST')) throw notFound(`Run ${runId} does not exist on ${client.url}.`);
    throw err;
  }
}

function parseArgv(text: string | undefined, runId: string): string[] {
  let argv: unknown;
  try {
    argv = text === undefined ? undefined : JSON.parse(text);
  } catch {
    argv = undefined;
  }
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) {
    throw new CairnError('INVALID_STATE', `Run ${runId} recorded no command (tag ${RUN_TAGS.command} must be a JSON list of arguments); only runs started with 'cairn run' can be reproduced.`);
  }
  return argv as string[];
}

function safeRelative(p: string, runId: string): string {
  const norm = p.split('/').filter((s) => s !== '' && s !== '.');
  if (path.isAbsolute(p) || norm.includes('..') || p.includes('\\') || p.includes('\0')) throw new CairnError('INVALID_STATE', `Run ${runId} recorded an unsafe working directory '${p}'.`);
  return norm.length ? norm.join('/') : '.';
}

/** Makes every object the versions need local, fetching from `remote`; fails naming what is nowhere. */
async function ensureObjects(ws: DataWorkspace, versions: Parameters<typeof fetchObjects>[2], remote: ObjectClient | undefined): Promise<void> {
  if (versions.length === 0) return;
  if (remote) {
    await fetchObjects(ws, remote, versions);
    return;
  }
  const { objects, unexpanded } = neededObjects(ws, versions);
  const absent = [...objects.values()].filter((o) => !fs.existsSync(ws.objects.pathOf(o.hash)));
  if (absent.length || unexpanded.length) {
    const names = [...unexpanded.map((p) => `the manifest of ${p}`), ...absent.slice(0, 5).map((o) => `${o.paths[0]} (${o.hash.slice(0, 12)}…)`)];
    throw new CairnError('RESOURCE_DOES_NOT_EXIST', `Data the run used is not in the local store and no remote was given: ${names.join(', ')}.`);
  }
}

async function applyDiff(worktree: string, diff: Uint8Array, runId: string, commit: string): Promise<void> {
  const file = path.join(os.tmpdir(), `cairn-reproduce-${process.pid}-${Date.now()}.diff`);
  fs.writeFileSync(file, diff);
  try {
    const check = await git(worktree, ['apply', '--check', '--binary', '--whitespace=nowarn', file], { allowFail: true });
    if (check.code !== 0) throw new CairnError('INVALID_STATE', `The code diff recorded by run ${runId} does not apply to commit ${commit}: ${check.stderr.trim()}`);
    await git(worktree, ['apply', '--binary', '--whitespace=nowarn', file]);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Restores each recorded version in the worktree; notes where the worktree's pointer names another version. */
async function checkoutVersions(wt: DataWorkspace, versions: { path: string; ref: { kind: 'file' | 'dir'; hash: string } }[]): Promise<Map<string, string>> {
  const notes = new Map<string, string>();
  const cache = StatCache.load(wt.stateDir);
  try {
    for (const v of versions) {
      const plan = await planMaterialize(wt, v.path, absPath(wt, v.path), v.ref, cache);
      await applyPlan(wt, plan, cache, { force: true });
      const ptr = pointerPathOf(v.path);
      if (fs.existsSync(absPath(wt, ptr)) && readPointer(wt, ptr).hash !== v.ref.hash) notes.set(v.path, 'the pointer at the run commit names another version; the version the run recorded was restored');
    }
  } finally {
    cache.save();
  }
  return notes;
}

function compare(original: Run, reproduced: Run, ctx: { worktree: string; commit: string; diff?: Uint8Array; exitCode: number; tolerance: number; dataNotes: Map<string, string> }): ReproduceReport {
  const datasets = compareDatasets(datasetSourcesOf(original.inputs.dataset_inputs), datasetSourcesOf(reproduced.inputs.dataset_inputs));
  for (const d of datasets) if (!d.note && ctx.dataNotes.has(d.path)) d.note = ctx.dataNotes.get(d.path);
  const params = compareParams(original.data.params, reproduced.data.params);
  // System metrics (CPU, memory) describe the machine and the moment, not what was learned.
  const learned = (ms: Run['data']['metrics']) => ms.filter((m) => !m.key.startsWith('system/'));
  const metrics = compareMetrics(learned(original.data.metrics), learned(reproduced.data.metrics), ctx.tolerance);
  return {
    original_run_id: original.info.run_id,
    new_run_id: reproduced.info.run_id,
    worktree: ctx.worktree,
    commit: ctx.commit,
    exit_code: ctx.exitCode,
    code: { identical: false, detail: '' },
    data: { identical: datasets.every((d) => d.identical), datasets },
    params: { identical: params.length === 0, differences: params },
    metrics: { within_tolerance: metrics.every((m) => m.status === 'equal' || m.status === 'within'), tolerance: ctx.tolerance, metrics },
    reproduced: false,
  };
}

/** Same commit, and the code diff the re-run recorded (if its launcher records one) has the same bytes as the original's. */
async function codeComparison(client: CairnClient, reproduced: Run, commit: string, diff: Uint8Array | undefined): Promise<ReproduceReport['code']> {
  const tags = new Map(reproduced.data.tags.map((t) => [t.key, t.value]));
  const sha = (b: Uint8Array | undefined) => createHash('sha256').update(b ?? new Uint8Array()).digest('hex');
  const size = diff?.length ?? 0;
  if (tags.get(RUN_TAGS.gitCommit) !== commit) return { identical: false, detail: `the re-run recorded commit ${tags.get(RUN_TAGS.gitCommit) ?? '(none)'}, not ${commit}` };
  const again = await client.downloadArtifact(reproduced.info, RUN_ARTIFACTS.codeDiff);
  if (sha(again) !== sha(diff)) return { identical: false, detail: `the re-run recorded a different code diff (${again?.length ?? 0} bytes, the original ${size})` };
  return { identical: true, detail: size ? `commit ${commit.slice(0, 12)} + the recorded diff (${size} bytes) applied cleanly` : `commit ${commit.slice(0, 12)}, no uncommitted changes` };
}
