import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface BenchServer {
  url: string;
  token: string;
  pid: number;
  proc: ChildProcess;
  /** Milliseconds from spawn to "ready". */
  startMs: number;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/** Spawns `node dist/cli.js server …args` and waits for its "ready at URL" line. */
export async function spawnServer(args: string[], env: Record<string, string> = {}): Promise<{ proc: ChildProcess; url: string; exited: Promise<void> }> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} missing: run 'npm run build'`);
  const proc = spawn(process.execPath, [CLI, 'server', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /ready at (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (c) => reject(new Error(`server exited ${c}: ${err}`)));
  });
  return { proc, url, exited };
}

export async function startServer(storeDir: string, env: Record<string, string> = {}): Promise<BenchServer> {
  const t0 = performance.now();
  const { proc, url, exited } = await spawnServer(['--store', storeDir], env);
  const startMs = performance.now() - t0;
  const { token } = JSON.parse(fs.readFileSync(path.join(storeDir, 'server.json'), 'utf8')) as { token: string };
  const stopWith = async (sig: NodeJS.Signals) => {
    proc.kill(sig);
    await exited;
  };
  return { url, token, pid: proc.pid!, proc, startMs, stop: () => stopWith('SIGTERM'), kill: () => stopWith('SIGKILL') };
}

/** Peak resident set of a process (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One request over a keep-alive connection; resolves with status and body text. */
export function request(server: { url: string; token: string }, method: string, p: string, body?: string): Promise<{ status: number; text: string }> {
  const u = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: u.hostname, port: u.port, method, path: p, headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', ...(body ? { 'Content-Length': Buffer.byteLength(body) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
