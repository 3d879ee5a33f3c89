import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import type { ReproduceReport } from '../../backend/api/reproduce';
import type { BackendConnection } from '../backend/backend-connection';
import { settings } from '../config';
import type { Log } from '../log';

export interface ReproduceOutcome {
  report?: ReproduceReport;
  exitCode: number;
  /** What the CLI said when it could not reproduce at all (missing commit, data, …). */
  error?: string;
}

/**
 * Runs `cairn reproduce RUN --json` (the bundled CLI, on VS Code's Node) against the backend the
 * extension is connected to. The re-run's own output streams into the "Cairn Reproduce" channel;
 * the JSON report comes back on stdout. Cancelling interrupts the CLI (and so the re-run).
 */
export class ReproduceRunner implements vscode.Disposable {
  private readonly output = vscode.window.createOutputChannel('Cairn Reproduce');

  constructor(
    private readonly backend: BackendConnection,
    private readonly log: Log,
  ) {}

  async reproduce(runId: string, opts: { folder: string; tolerance?: number; token?: vscode.CancellationToken }): Promise<ReproduceOutcome> {
    const client = await this.backend.ready();
    const args = [settings.cliPath() || this.backend.cliPath, 'reproduce', runId, '--json'];
    if (opts.tolerance !== undefined) args.push('--tolerance', String(opts.tolerance));
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_RUN_AS_NODE: '1', CAIRN_TRACKING_URI: client.url };
    if (this.backend.token) env['CAIRN_TOKEN'] = this.backend.token;
    else delete env['CAIRN_TOKEN'];
    this.output.appendLine(`$ cairn reproduce ${runId}  (${client.url}, in ${opts.folder})`);
    this.log.info('command', `reproduce ${runId}`);
    const child = spawn(process.execPath, args, { cwd: opts.folder, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const cancel = opts.token?.onCancellationRequested(() => child.kill('SIGINT'));
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      this.output.append(d);
    });
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve(code ?? (signal ? 130 : 1)));
    }).finally(() => cancel?.dispose());
    this.output.appendLine(`[exit code ${exitCode}]`);
    const report = parseReport(stdout);
    if (report) return { report, exitCode };
    const lastLines = stderr.trim().split('\n').slice(-3).join(' ');
    return { exitCode, error: lastLines || `cairn reproduce exited with code ${exitCode}` };
  }

  show(): void {
    this.output.show(true);
  }

  dispose(): void {
    this.output.dispose();
  }
}

function parseReport(stdout: string): ReproduceReport | undefined {
  const text = stdout.trim();
  if (!text.startsWith('{')) return undefined;
  try {
    const r = JSON.parse(text) as ReproduceReport;
    return typeof r.original_run_id === 'string' && typeof r.reproduced === 'boolean' ? r : undefined;
  } catch {
    return undefined;
  }
}
