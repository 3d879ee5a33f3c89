/** Team-mode servers (`cairn server --db …`) and the `cairn` CLI as real child processes. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import { CairnClient } from '../../backend/client/cairn-client';
import { CLI, readyUrl } from './server-process';

export interface TeamServer {
  url: string;
  proc: ChildProcess;
  client(token: string): CairnClient;
  stderr(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => live.forEach((p) => p.kill('SIGKILL')));
after(() => live.forEach((p) => p.kill('SIGKILL')));

function requireCli(): void {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' before the integration tests`);
}

/** Starts a replica on the team database `db` (schema `schema`); resolves once it is ready. */
export async function startTeamServer(opts: { db: string; schema: string; objects?: string; args?: string[]; env?: Record<string, string> }): Promise<TeamServer> {
  requireCli();
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-team-'));
  const args = [CLI, 'server', '--db', opts.db, '--db-schema', opts.schema, '--store', storeDir, '--port', '0', ...(opts.objects ? ['--objects', opts.objects] : []), ...(opts.args ?? [])];
  const proc = spawn(process.execPath, args, { env: { ...process.env, ...(opts.env ?? {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.once('exit', () => {
    live.delete(proc);
    fs.rmSync(storeDir, { recursive: true, force: true });
  });
  const url = await readyUrl(proc, 'team server', 60_000, () => err);
  return {
    url,
    proc,
    client: (token) => new CairnClient({ url, token }),
    stderr: () => err,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs `cairn <args>`; resolves with its exit code and output (never rejects on a non-zero exit). */
export function cairn(args: string[], opts: { env?: Record<string, string>; input?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  requireCli();
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...(opts.env ?? {}) }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    else child.stdin!.end();
  });
}

/** `cairn users add` and the token it printed. */
export async function addUser(db: string, schema: string, name: string, role: string, password?: string): Promise<string> {
  const r = await cairn(['users', 'add', name, '--role', role, '--db', db, '--db-schema', schema, ...(password ? ['--password-stdin'] : [])], { input: password });
  if (r.code !== 0) throw new Error(`cairn users add failed (${r.code}): ${r.stderr}`);
  const m = /token: (\S+)/.exec(r.stdout);
  if (!m) throw new Error(`no token in: ${r.stdout}`);
  return m[1]!;
}
