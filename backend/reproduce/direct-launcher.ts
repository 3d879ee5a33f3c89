import { spawn } from 'node:child_process';
import * as os from 'node:os';
import { RUN_ARTIFACTS, RUN_TAGS } from '../api/run-record';
import type { KeyValue } from '../api/mlflow';
import type { CairnClient } from '../client/cairn-client';
import { recordRunDatasets } from '../data/run-inputs';

/** A command to run as a new tracked run. */
export interface LaunchRequest {
  /** Root of the worktree the command runs in. */
  workspace: string;
  /** Absolute working directory. */
  cwd: string;
  /** Working directory relative to `workspace` (recorded as `cairn.cwd`). */
  cwdRel: string;
  argv: string[];
  experimentId: string;
  runName: string;
  commit: string;
  /** The code diff applied on top of `commit` (recorded as the run's code diff). */
  diff?: Uint8Array;
  /** Extra tags, e.g. `cairn.reproduced_from`. */
  tags: KeyValue[];
}

export interface RunLauncher {
  launch(req: LaunchRequest): Promise<{ runId: string; exitCode: number }>;
}

export interface DirectLauncherOptions {
  client: CairnClient;
  /** Passed to the command as MLFLOW_TRACKING_TOKEN / CAIRN_TOKEN. */
  token: string | undefined;
  /** Where the command's output goes as it runs (default: this process's stdout/stderr). */
  output?: (chunk: Buffer) => void;
  log?: (msg: string) => void;
}

/**
 * Runs a command as a tracked run in the run-record format `cairn run` writes (RUN_TAGS,
 * RUN_ARTIFACTS): creates the run, records the code state and data versions, runs the command
 * with MLFLOW_RUN_ID / CAIRN_RUN_ID set (so the mlflow client and Cairn's SDKs log into it),
 * uploads its output and finishes it with its exit status.
 */
export function directLauncher(opts: DirectLauncherOptions): RunLauncher {
  const { client } = opts;
  return {
    async launch(req) {
      const tags: KeyValue[] = [
        { key: RUN_TAGS.command, value: JSON.stringify(req.argv) },
        { key: RUN_TAGS.cwd, value: req.cwdRel },
        { key: RUN_TAGS.workspace, value: req.workspace },
        { key: RUN_TAGS.gitCommit, value: req.commit },
        { key: RUN_TAGS.gitDirty, value: req.diff && req.diff.length > 0 ? 'true' : 'false' },
        { key: RUN_TAGS.sourceName, value: req.argv.join(' ') },
        { key: RUN_TAGS.sourceType, value: 'LOCAL' },
        { key: RUN_TAGS.user, value: os.userInfo().username },
        { key: RUN_TAGS.host, value: os.hostname() },
        { key: RUN_TAGS.launcher, value: 'cairn-reproduce' },
        ...req.tags,
      ];
      const run = await client.createRun({ experimentId: req.experimentId, runName: req.runName, tags });
      const runId = run.info.run_id;
      if (req.diff && req.diff.length > 0) await client.uploadArtifact(run.info, RUN_ARTIFACTS.codeDiff, req.diff);
      for (const w of await recordRunDatasets(client, runId, req.workspace)) opts.log?.(`warning: ${w}`);
      const output: Buffer[] = [];
      const exitCode = await new Promise<number>((resolve) => {
        const env = {
          ...process.env,
          MLFLOW_TRACKING_URI: client.url,
          CAIRN_TRACKING_URI: client.url,
          MLFLOW_RUN_ID: runId,
          CAIRN_RUN_ID: runId,
          MLFLOW_EXPERIMENT_ID: req.experimentId,
          ...(opts.token ? { MLFLOW_TRACKING_TOKEN: opts.token, CAIRN_TOKEN: opts.token } : {}),
        };
        const child = spawn(req.argv[0]!, req.argv.slice(1), { cwd: req.cwd, env, stdio: ['inherit', 'pipe', 'pipe'] });
        const tee = (target: NodeJS.WriteStream) => (chunk: Buffer) => {
          output.push(chunk);
          if (opts.output) opts.output(chunk);
          else target.write(chunk);
        };
        child.stdout!.on('data', tee(process.stdout));
        child.stderr!.on('data', tee(process.stderr));
        child.on('error', (err) => {
          output.push(Buffer.from(`cairn: cannot start ${req.argv[0]}: ${err.message}\n`));
          resolve(127);
        });
        child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
      });
      await client.uploadArtifact(run.info, RUN_ARTIFACTS.log, Buffer.concat(output));
      await client.logBatch(runId, { tags: [{ key: RUN_TAGS.exitCode, value: String(exitCode) }] });
      await client.updateRun(runId, { status: exitCode === 0 ? 'FINISHED' : 'FAILED', endTime: Date.now() });
      return { runId, exitCode };
    },
  };
}
