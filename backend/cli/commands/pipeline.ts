import { parseArgs } from 'node:util';
import { CairnClient } from '../../client/cairn-client';
import { discoverBackend, findWorkspaceRoot } from '../../client/discovery';
import { dagText, executionOrder } from '../../pipelines/dag';
import { readLock } from '../../pipelines/lock-file';
import { loadPipeline } from '../../pipelines/pipeline-spec';
import { clientTracker } from '../../pipelines/client-tracker';
import { lockFile, pipelineFile, runPipeline, stageChange } from '../../pipelines/pipeline-runner';
import { untracked } from '../../pipelines/tracker';
import { UsageError, type Command } from '../command';

export const pipelineCommand: Command = {
  name: 'pipeline',
  summary: 'Run the cairn.yaml pipeline (cached stages, gates, promotion), show its status or DAG',
  usage: `cairn pipeline run [STAGE] [--force] [--no-track] [--json]
cairn pipeline status
cairn pipeline dag

  run       runs STAGE and its upstream stages (default: all, then gates and promote). A stage
            whose deps, params, command and outs match cairn.lock is skipped; one whose inputs
            were seen before is restored from the run cache (.cairn/run-cache). Each execution is
            a parent run with a child run per stage (mlflow.parentRunId) on the workspace backend.
  --force   execute every selected stage
  --no-track  do not record runs (no backend needed; no promotion)
  status    which stages are up to date, and why the others are not
  dag       the stage graph, one edge per line
Exit code of run: 0 succeeded, 1 a stage failed, 4 a gate failed.`,
  async run(argv) {
    const [sub, ...rest] = argv;
    const workspace = findWorkspaceRoot(process.cwd());
    if (sub === 'dag') {
      process.stdout.write(dagText(loadPipeline(pipelineFile(workspace)).stages) + '\n');
      return 0;
    }
    if (sub === 'status') {
      const spec = loadPipeline(pipelineFile(workspace));
      const lock = readLock(lockFile(workspace));
      for (const s of executionOrder(spec.stages)) {
        const change = stageChange(workspace, s, lock.stages[s.name]);
        process.stdout.write(`${s.name}: ${change ? `changed (${change})` : 'up to date'}\n`);
      }
      return 0;
    }
    if (sub !== 'run') throw new UsageError(`expected run, status or dag${sub ? `, got '${sub}'` : ''}`);
    const { values, positionals } = parseArgs({ args: rest, options: { force: { type: 'boolean' }, 'no-track': { type: 'boolean' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
    if (positionals.length > 1) throw new UsageError('at most one STAGE');
    let tracker = untracked;
    let env: Record<string, string> = {};
    if (!values['no-track']) {
      const loc = await discoverBackend({ workspace });
      tracker = clientTracker(new CairnClient({ url: loc.url, token: loc.token }));
      env = { MLFLOW_TRACKING_URI: loc.url, CAIRN_TRACKING_URI: loc.url, ...(loc.token ? { MLFLOW_TRACKING_TOKEN: loc.token, CAIRN_TOKEN: loc.token } : {}) };
    }
    const result = await runPipeline({
      workspace,
      stage: positionals[0],
      force: values.force,
      tracker,
      env,
      trigger: process.env['CAIRN_PIPELINE_TRIGGER'] ?? 'manual',
      log: (l) => process.stderr.write(`[cairn] ${l}\n`),
      stdio: values.json ? 'ignore' : 'inherit',
    });
    if (values.json) process.stdout.write(JSON.stringify(result) + '\n');
    else process.stdout.write(`pipeline ${result.status}${result.run_id ? ` (run ${result.run_id})` : ''}: ${result.stages.map((s) => `${s.stage} ${s.status}`).join(', ')}\n`);
    return result.status === 'succeeded' ? 0 : result.status === 'gate_failed' ? 4 : 1;
  },
};
