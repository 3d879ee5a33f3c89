import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './server-process';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `cairn` CLI as a child process (CAIRN_TRACKING_URI only if `opts.env` sets it). */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> }, onSpawn?: (p: ChildProcess) => void): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...(opts.env ?? {}) };
    delete env['CAIRN_TRACKING_URI'];
    if (opts.env?.['CAIRN_TRACKING_URI']) env['CAIRN_TRACKING_URI'] = opts.env['CAIRN_TRACKING_URI'];
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** Runs the built `cairn` CLI against a server (via CAIRN_TRACKING_URI / CAIRN_TOKEN). */
export function cairn(server: { url: string; token: string }, args: string[], opts: { cwd?: string } = {}): Promise<CliResult> {
  return runCli(args, { cwd: opts.cwd, env: { CAIRN_TRACKING_URI: server.url, CAIRN_TOKEN: server.token } });
}
