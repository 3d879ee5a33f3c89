// The pipeline as it stands: each stage's upstream stages, its state against cairn.lock, and what
// the last execution (a parent run with a child run per stage) did with it.
import type { Run } from '../api/mlflow';
import type { PipelineExecution, PipelineStatusResponse, StageExecution, StageStatus } from '../api/pipelines';
import { executionOrder, upstreamOf } from './dag';
import { readLock } from './lock-file';
import type { GateSpec, PipelineSpec } from './pipeline-spec';
import { lockFile, stageChange } from './pipeline-runner';

/** The newest pipeline execution: its parent run and the child runs of its stages. */
export interface LastExecution {
  parent: Run;
  children: Run[];
}

const tag = (run: Run, key: string) => run.data.tags.find((t) => t.key === key)?.value;
const metricsOf = (run: Run) => Object.fromEntries(run.data.metrics.map((m) => [m.key, Number(m.value)]));

export function gateText(g: GateSpec): string {
  if ('op' in g) return `${g.metric} ${g.op} ${g.value}`;
  return `${g.metric} ${g.direction} than ${g.model}@${g.alias}${g.min_delta ? ` by ${g.min_delta}` : ''}`;
}

function execution(parent: Run): PipelineExecution {
  const outcome = tag(parent, 'cairn.pipeline.status');
  const trigger = tag(parent, 'cairn.trigger');
  return {
    run_id: parent.info.run_id,
    status: parent.info.status,
    ...(outcome ? { outcome } : {}),
    ...(trigger ? { trigger } : {}),
    start_time: parent.info.start_time,
    ...(parent.info.end_time ? { end_time: parent.info.end_time } : {}),
  };
}

function stageExecution(child: Run): StageExecution {
  const outcome = tag(child, 'cairn.stage.status');
  return {
    run_id: child.info.run_id,
    status: child.info.status,
    ...(outcome ? { outcome } : {}),
    start_time: child.info.start_time,
    ...(child.info.end_time ? { end_time: child.info.end_time } : {}),
    metrics: metricsOf(child),
  };
}

/** Status of every stage of `spec` in `workspace` (reads the deps to compare with cairn.lock). */
export function pipelineStatus(workspace: string, spec: PipelineSpec, last: LastExecution | undefined, experimentId?: string): PipelineStatusResponse {
  const lock = readLock(lockFile(workspace));
  const upstream = upstreamOf(spec.stages);
  const running = last?.parent.info.status === 'RUNNING';
  const target = last && tag(last.parent, 'cairn.pipeline.target');
  const inExecution = new Set((running ? executionOrder(spec.stages, target && spec.stages.some((s) => s.name === target) ? target : undefined) : []).map((s) => s.name));
  const stages: StageStatus[] = executionOrder(spec.stages).map((s) => {
    const child = last?.children.find((c) => tag(c, 'cairn.stage') === s.name);
    const base: StageStatus = { name: s.name, cmd: s.cmd, deps: s.deps, params: s.params, outs: s.outs, metrics: s.metrics, upstream: upstream.get(s.name) ?? [], state: 'up_to_date', ...(child ? { last: stageExecution(child) } : {}) };
    if (child?.info.status === 'RUNNING') return { ...base, state: 'running' };
    if (child && (child.info.status === 'FAILED' || tag(child, 'cairn.stage.status') === 'failed')) return { ...base, state: 'failed', reason: 'failed in the last execution' };
    if (!child && inExecution.has(s.name)) return { ...base, state: 'pending', reason: 'waiting for its upstream stages' };
    const change = stageChange(workspace, s, lock.stages[s.name]);
    return change ? { ...base, state: 'changed', reason: change } : base;
  });
  return {
    file: 'cairn.yaml',
    ...(experimentId ? { experiment_id: experimentId } : {}),
    stages,
    gates: spec.gates.map(gateText),
    ...(spec.promote ? { promote: { model: spec.promote.model, alias: spec.promote.alias } } : {}),
    ...(last ? { last_execution: execution(last.parent) } : {}),
  };
}
