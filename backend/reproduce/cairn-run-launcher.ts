import type { Writable } from 'node:stream';
import { launchRun } from '../launcher/launcher';
import type { RunLauncher } from './run-launcher';

/**
 * Re-runs a command exactly as `cairn run` records any run (code state, params, metrics parsed from
 * its output, data versions, outputs, status), against the given backend: the comparison then sees
 * the same kind of record on both sides.
 */
export function cairnRunLauncher(opts: { url: string; token: string | undefined; stdout?: Writable; stderr?: Writable; log?: (msg: string) => void }): RunLauncher {
  return {
    async launch(req) {
      const env: NodeJS.ProcessEnv = { ...process.env, CAIRN_TRACKING_URI: opts.url };
      if (opts.token) env['CAIRN_TOKEN'] = opts.token;
      else delete env['CAIRN_TOKEN'];
      const result = await launchRun({
        argv: req.argv,
        cwd: req.cwd,
        experimentId: req.experimentId,
        runName: req.runName,
        tags: req.tags,
        env,
        log: opts.log,
        stdout: opts.stdout,
        stderr: opts.stderr,
      });
      return { runId: result.runId, exitCode: result.exitCode };
    },
  };
}
