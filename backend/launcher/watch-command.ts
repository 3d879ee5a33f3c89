import { StringDecoder } from 'node:string_decoder';
import type { RunInfo } from '../api/mlflow';
import { RUN_ARTIFACTS } from '../api/run-record';
import type { CairnClient } from '../client/cairn-client';
import type { BackendLocation } from '../client/discovery';
import { trackedCommandEnv } from './child-env';
import { runChild, type ChildOutcome } from './child-process';
import { fingerprint } from './env-fingerprint';
import { LogFile } from './log-file';
import { LogTailStreamer } from './log-tail';
import { MetricLineParser } from './metric-line-parser';
import type { RunContext } from './run-context';
import type { RunRecorder } from './run-recorder';
import { SystemSampler } from './system-sampler';

export interface WatchArgs {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  workspace: string;
  run: RunInfo;
  location: BackendLocation;
  recorder: RunRecorder;
  ctx: RunContext;
  /** Where the log file goes. */
  logPath: string;
  tailClient: () => CairnClient | undefined;
  systemIntervalMs: number;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/**
 * Runs the tracked command with everything that watches it while it runs: output teed to the
 * terminal, the log file, the metric parser and the live tail; system metrics of its process
 * tree; and, alongside, the environment fingerprint.
 */
export async function watchCommand(a: WatchArgs): Promise<ChildOutcome> {
  const logFile = new LogFile(a.logPath);
  const parser = new MetricLineParser((key, value, step, ts) => a.recorder.metric(key, value, step, ts));
  const tail = new LogTailStreamer(a.run.run_id, a.tailClient);
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  tail.start();
  const child = runChild({
    argv: a.argv,
    cwd: a.cwd,
    env: trackedCommandEnv(a.env, a.run, a.location, a.workspace),
    stdout: a.stdout,
    stderr: a.stderr,
    onOutput: (chunk, stream) => {
      logFile.append(chunk);
      const text = decoders[stream].write(chunk);
      parser.push(text, Date.now(), stream === 'stdout' ? 0 : 1);
      tail.push(text);
    },
  });
  const sampler = child.pid === undefined ? undefined : new SystemSampler(child.pid, (k, v, s, t) => a.recorder.metric(k, v, s, t), a.systemIntervalMs);
  sampler?.start();
  // The fingerprint runs alongside the command (a `pip freeze` takes a moment).
  const fp = fingerprint({ argv: a.argv, parsed: a.ctx.command }, { workspace: a.workspace, cwd: a.cwd }, a.env).then(
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
  if (outcome.spawnError) (a.stderr ?? process.stderr).write(`cairn run: ${outcome.spawnError}\n`);
  return outcome;
}
