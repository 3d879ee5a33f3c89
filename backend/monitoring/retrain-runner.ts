// Retraining = `cairn pipeline run` in the workspace, one at a time, with the trigger recorded.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PipelineRunResult } from '../api/drift';
import type { AuditLog } from './audit-log';

export interface RetrainContext {
  workspace: string;
  audit: AuditLog;
  backend: () => { url: string; token: string };
}

/** The built CLI next to this bundle (dist/cli.js), or the script this process runs. */
function cliPath(): string {
  const beside = path.join(__dirname, 'cli.js');
  return fs.existsSync(beside) ? beside : process.argv[1]!;
}

export class RetrainRunner {
  private running: Promise<PipelineRunResult | undefined> | undefined;

  constructor(private readonly ctx: RetrainContext) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Starts a pipeline run unless one is running; resolves when it ends. */
  trigger(trigger: string, monitor?: string): Promise<PipelineRunResult | undefined> {
    if (this.running) {
      this.ctx.audit.append({ kind: 'retrain.requested', monitor, trigger, detail: { skipped: 'a pipeline run is already in progress' } });
      return this.running;
    }
    this.ctx.audit.append({ kind: 'retrain.started', monitor, trigger, detail: { workspace: this.ctx.workspace } });
    const { url, token } = this.ctx.backend();
    this.running = new Promise<PipelineRunResult | undefined>((resolve) => {
      const child = spawn(process.execPath, [cliPath(), 'pipeline', 'run', '--json'], {
        cwd: this.ctx.workspace,
        env: { ...process.env, CAIRN_TRACKING_URI: url, CAIRN_TOKEN: token, CAIRN_PIPELINE_TRIGGER: trigger },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
      child.on('exit', (code) => {
        let result: PipelineRunResult | undefined;
        try {
          result = JSON.parse(out.trim().split('\n').pop() ?? '') as PipelineRunResult;
        } catch {
          result = undefined;
        }
        this.ctx.audit.append({
          kind: 'retrain.finished',
          monitor,
          trigger,
          detail: result ? { exit_code: code, status: result.status, run_id: result.run_id, promoted: result.promoted, gates: result.gates } : { exit_code: code, error: err.trim().split('\n').slice(-5).join('\n') },
        });
        this.running = undefined;
        resolve(result);
      });
    });
    return this.running;
  }
}
