import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { after } from 'node:test';
import { CairnClient } from '../../backend/client/cairn-client';

export const ROOT = process.env['CAIRN_ROOT'] ?? path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface ServerProcess {
  url: string;
  token: string;
  port: number;
  proc: ChildProcess;
  client: CairnClient;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

const live = new Set<ChildProcess>();
// A failed assertion must not leave a server running (it would keep the test process alive).
process.on('exit', () => live.forEach((p) => p.kill('SIGKILL')));
after(() => live.forEach((p) => p.kill('SIGKILL')));

/** The URL a starting `cairn server` prints in its "ready at URL" line; rejects if it exits first. */
export function readyUrl(proc: ChildProcess, what: string, timeoutMs: number, stderr: () => string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start in ${timeoutMs / 1000} s:\n${stderr()}`)), timeoutMs);
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /ready at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before it was ready:\n${stderr()}`));
    });
  });
}

/** Starts `cairn server` from the built CLI on 127.0.0.1, as a real child process. */
export async function startServerProcess(storeDir: string, extraArgs: string[] = [], env: Record<string, string> = {}): Promise<ServerProcess> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' before the integration tests`);
  const proc = spawn(process.execPath, [CLI, 'server', '--store', storeDir, ...extraArgs], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = await readyUrl(proc, 'server', 20_000, () => err);
  const record = JSON.parse(fs.readFileSync(path.join(storeDir, 'server.json'), 'utf8')) as { token: string; port: number };
  const stopWith = async (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
  };
  return {
    url,
    token: record.token,
    port: record.port,
    proc,
    client: new CairnClient({ url, token: record.token }),
    stderr: () => err,
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
  };
}

/**
 * A raw HTTP call with node:http, for tests that need exact bytes on the wire: the path is sent as
 * written (fetch would resolve `..`), and any Host/Origin header can be set.
 */
export function raw(
  server: { url: string; token: string },
  method: string,
  p: string,
  opts: { body?: string | Buffer; headers?: Record<string, string>; token?: string | null } = {},
): Promise<{ status: number; json: Record<string, unknown> | undefined; text: string; headers: http.IncomingHttpHeaders }> {
  const u = new URL(server.url);
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  const token = opts.token === undefined ? server.token : opts.token;
  if (token !== null) headers['Authorization'] = `Bearer ${token}`;
  if (opts.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(opts.body));
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path: p, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json, text, headers: res.headers });
      });
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
