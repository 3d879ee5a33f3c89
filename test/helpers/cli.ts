import { spawn } from 'node:child_process';
import { CLI } from './server-process';

/** Runs the built `cairn` CLI against a server (via CAIRN_TRACKING_URI / CAIRN_TOKEN). */
export function cairn(server: { url: string; token: string }, args: string[], opts: { cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, CAIRN_TRACKING_URI: server.url, CAIRN_TOKEN: server.token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.once('error', reject);
    p.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
