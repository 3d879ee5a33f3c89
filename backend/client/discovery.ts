import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ServerRecord } from '../api/cairn';
import { isAlive } from '../core/process-alive';
import { CairnClient } from './cairn-client';

export interface BackendLocation {
  url: string;
  token: string | undefined;
  /** Where it was found: the environment, a running local server, or one just started. */
  source: 'env' | 'running' | 'started';
  /** The store of a local server. */
  storeDir?: string;
}

export interface DiscoverOptions {
  /** The workspace root; its store is `<workspace>/.cairn`. */
  workspace: string;
  /** Start a local server when none is running (default true). */
  start?: boolean;
  /** The Node runtime to start it with (VS Code passes its own). Default: this process's. */
  nodePath?: string;
  /** The built CLI (`dist/cli.js`). Default: next to this bundle. */
  cliPath?: string;
  /** Extra environment for the started server (e.g. ELECTRON_RUN_AS_NODE=1 in VS Code). */
  env?: Record<string, string>;
  timeoutMs?: number;
  log?: (msg: string) => void;
}

/** The workspace a path belongs to: the nearest ancestor holding `.cairn` or `.git`, else `dir` itself. */
export function findWorkspaceRoot(dir: string): string {
  let cur = path.resolve(dir);
  for (;;) {
    if (fs.existsSync(path.join(cur, '.cairn')) || fs.existsSync(path.join(cur, '.git'))) return cur;
    const parent = path.dirname(cur);
    if (parent === cur) return path.resolve(dir);
    cur = parent;
  }
}

export const storeDirOf = (workspace: string) => path.join(workspace, '.cairn');

/**
 * Finds the backend the way `cairn run` and the extension both do: `CAIRN_TRACKING_URI` (+
 * `CAIRN_TOKEN`) if set; else the local server recorded in `<workspace>/.cairn/server.json` if it
 * answers; else (unless `start` is false) starts one for the workspace in the background and waits
 * until it answers.
 */
export async function discoverBackend(opts: DiscoverOptions, env: NodeJS.ProcessEnv = process.env): Promise<BackendLocation> {
  const envUrl = env['CAIRN_TRACKING_URI'];
  if (envUrl) return { url: envUrl.replace(/\/+$/, ''), token: env['CAIRN_TOKEN'], source: 'env' };
  const storeDir = storeDirOf(opts.workspace);
  const running = await runningServer(storeDir);
  if (running) return { url: running.url, token: running.token, source: 'running', storeDir };
  if (opts.start === false) throw new Error(`no Cairn server is running for ${opts.workspace} (and starting one was not allowed)`);
  return startLocalServer(storeDir, opts);
}

/** The server recorded in `server.json`, if it is alive and accepts its token. */
export async function runningServer(storeDir: string): Promise<ServerRecord | undefined> {
  let rec: ServerRecord;
  try {
    rec = JSON.parse(fs.readFileSync(path.join(storeDir, 'server.json'), 'utf8')) as ServerRecord;
  } catch {
    return undefined;
  }
  if (!rec.pid || !isAlive(rec.pid)) return undefined;
  try {
    await new CairnClient({ url: rec.url, token: rec.token, timeoutMs: 2000 }).info();
    return rec;
  } catch {
    return undefined;
  }
}

async function startLocalServer(storeDir: string, opts: DiscoverOptions): Promise<BackendLocation> {
  const cli = opts.cliPath ?? path.join(__dirname, 'cli.js');
  if (!fs.existsSync(cli)) throw new Error(`cannot start a Cairn server: ${cli} does not exist (run 'npm run build')`);
  fs.mkdirSync(storeDir, { recursive: true });
  const logFile = path.join(storeDir, 'server.log');
  const out = fs.openSync(logFile, 'a');
  opts.log?.(`starting a Cairn server for ${path.dirname(storeDir)} (log: ${logFile})`);
  const child = spawn(opts.nodePath ?? process.execPath, [cli, 'server', '--store', storeDir], {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...(opts.env ?? {}) },
    cwd: path.dirname(storeDir),
  });
  child.unref();
  fs.closeSync(out);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    const rec = await runningServer(storeDir);
    if (rec) return { url: rec.url, token: rec.token, source: rec.pid === child.pid ? 'started' : 'running', storeDir };
    if (exited !== null) {
      // Another process may have won the race to start the server for this store.
      const other = await runningServer(storeDir);
      if (other) return { url: other.url, token: other.token, source: 'running', storeDir };
      throw new Error(`the Cairn server exited with code ${exited} while starting; see ${logFile}:\n${tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the Cairn server did not answer within ${(opts.timeoutMs ?? 20_000) / 1000} s; see ${logFile}`);
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}
