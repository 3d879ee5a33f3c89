// Runs cairn.yaml: stages in dependency order, each skipped when its inputs and outputs match the
// lock, restored from the run cache when its inputs were seen before, executed otherwise; then the
// gates, then promotion. Every execution is a parent run with a child run per stage.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PipelineRunResult, StageRunResult } from '../api/drift';
import { executionOrder } from './dag';
import { fingerprint, hashPath, readMetrics } from './fingerprint';
import { evaluateGates } from './gates';
import { readLock, writeLock, type LockedStage } from './lock-file';
import { loadPipeline, type StageSpec } from './pipeline-spec';
import { RunCache } from './run-cache';
import type { PipelineTracker } from './tracker';

export interface RunOptions {
  workspace: string;
  stage?: string;
  /** Execute even when unchanged (no skip, no restore). */
  force?: boolean;
  tracker: PipelineTracker;
  /** Environment for the stage commands (tracking URI, token…). */
  env?: Record<string, string>;
  /** Why this run happened (manual, drift, data, schedule) — recorded as a tag. */
  trigger?: string;
  log?: (line: string) => void;
  /** Where stage output goes (default: this process's stdout/stderr). */
  stdio?: 'inherit' | 'ignore';
}

/** What a stage writes: its outs and its metrics files (both cached and restored). */
const producedBy = (stage: StageSpec) => [...stage.outs, ...stage.metrics];

export const pipelineFile = (workspace: string) => path.join(workspace, 'cairn.yaml');
export const lockFile = (workspace: string) => path.join(workspace, 'cairn.lock');

/** Why a stage is not up to date, or undefined when it is. */
export function stageChange(workspace: string, stage: StageSpec, locked: LockedStage | undefined): string | undefined {
  const fp = fingerprint(workspace, stage);
  if (!locked) return 'never ran';
  if (locked.key !== fp.key) {
    const dep = Object.keys(fp.deps).find((d) => fp.deps[d] !== locked.deps[d]);
    if (dep) return `dependency changed: ${dep}`;
    const param = Object.keys(fp.params).find((p) => JSON.stringify(fp.params[p]) !== JSON.stringify(locked.params[p]));
    if (param) return `param changed: ${param}`;
    return 'command or outputs changed';
  }
  for (const o of producedBy(stage)) if (hashPath(path.join(workspace, o)) !== locked.outs[o]) return `output missing or modified: ${o}`;
  return undefined;
}

function runCommand(cmd: string, cwd: string, env: Record<string, string>, stdio: 'inherit' | 'ignore'): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, { cwd, shell: true, env: { ...process.env, ...env }, stdio: ['ignore', stdio, stdio] });
    child.on('error', () => resolve(127));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

export async function runPipeline(opts: RunOptions): Promise<PipelineRunResult> {
  const log = opts.log ?? (() => undefined);
  const spec = loadPipeline(pipelineFile(opts.workspace));
  const order = executionOrder(spec.stages, opts.stage);
  const lock = readLock(lockFile(opts.workspace));
  const cache = new RunCache(path.join(opts.workspace, '.cairn', 'run-cache'));
  const tracker = opts.tracker;
  const parent = await tracker.startPipeline(path.basename(opts.workspace), { 'cairn.pipeline': 'true', 'cairn.trigger': opts.trigger ?? 'manual', ...(opts.stage ? { 'cairn.pipeline.target': opts.stage } : {}) });
  const results: StageRunResult[] = [];
  const metrics: Record<string, number> = {};
  let failed = false;
  for (const stage of order) {
    const started = Date.now();
    const fp = fingerprint(opts.workspace, stage);
    const child = await tracker.startStage(parent, stage.name);
    let status: StageRunResult['status'];
    let exitCode: number | undefined;
    const change = opts.force ? 'forced' : stageChange(opts.workspace, stage, lock.stages[stage.name]);
    if (!change) status = 'skipped';
    else if (!opts.force && cache.has(fp.key) && cache.restore(fp.key, opts.workspace)) status = 'restored';
    else {
      log(`stage ${stage.name}: ${change} → ${stage.cmd}`);
      exitCode = await runCommand(stage.cmd, opts.workspace, { ...(opts.env ?? {}), ...(child ? { MLFLOW_RUN_ID: child, CAIRN_RUN_ID: child } : {}), CAIRN_STAGE: stage.name }, opts.stdio ?? 'inherit');
      status = exitCode === 0 ? 'ran' : 'failed';
      const missing = stage.outs.filter((o) => !fs.existsSync(path.join(opts.workspace, o)));
      if (status === 'ran' && missing.length) {
        log(`stage ${stage.name}: declared outs not produced: ${missing.join(', ')}`);
        status = 'failed';
      }
      if (status === 'ran') cache.save(fp.key, opts.workspace, producedBy(stage));
    }
    const stageMetrics: Record<string, number> = {};
    for (const m of stage.metrics) Object.assign(stageMetrics, readMetrics(path.join(opts.workspace, m)));
    if (status !== 'failed') {
      Object.assign(metrics, stageMetrics);
      lock.stages[stage.name] = { key: fp.key, deps: fp.deps, params: fp.params, outs: Object.fromEntries(producedBy(stage).map((o) => [o, hashPath(path.join(opts.workspace, o)) ?? null])) };
      writeLock(lockFile(opts.workspace), lock);
    }
    log(`stage ${stage.name}: ${status}${exitCode !== undefined ? ` (exit ${exitCode})` : ''}`);
    await tracker.log(child, {
      params: Object.fromEntries(Object.entries(fp.params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
      metrics: stageMetrics,
      tags: { 'cairn.stage': stage.name, 'cairn.stage.status': status, 'cairn.stage.key': fp.key, 'cairn.stage.cmd': stage.cmd },
    });
    await tracker.end(child, status === 'failed' ? 'FAILED' : 'FINISHED');
    results.push({ stage: stage.name, status, key: fp.key, seconds: (Date.now() - started) / 1000, metrics: stageMetrics, ...(child ? { run_id: child } : {}), ...(exitCode !== undefined ? { exit_code: exitCode } : {}) });
    if (status === 'failed') {
      failed = true;
      break;
    }
  }
  const result: PipelineRunResult = { status: failed ? 'failed' : 'succeeded', ...(parent ? { run_id: parent } : {}), stages: results, metrics, gates: [] };
  if (!failed && !opts.stage) {
    result.gates = await evaluateGates(spec.gates, metrics, tracker);
    for (const g of result.gates) log(`gate ${g.gate}: ${g.passed ? 'passed' : 'FAILED'} (${g.detail})`);
    if (result.gates.some((g) => !g.passed)) result.status = 'gate_failed';
    else if (spec.promote && parent) {
      result.promoted = await tracker.promote(parent, spec.promote, opts.workspace);
      log(`promoted ${result.promoted.model} version ${result.promoted.version} to @${result.promoted.alias}`);
    }
  }
  await tracker.log(parent, { metrics, tags: { 'cairn.pipeline.status': result.status, ...(result.promoted ? { 'cairn.promoted': `${result.promoted.model}/${result.promoted.version}@${result.promoted.alias}` } : {}) } });
  await tracker.end(parent, result.status === 'failed' ? 'FAILED' : 'FINISHED');
  return result;
}
