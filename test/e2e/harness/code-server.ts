// Starts a real VS Code (code-server) headless and isolated, per ../shared/reference/vscode-e2e.md §3.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureCodeServer } from './code-server-install';

export interface CodeServer {
  url: string;
  runDir: string;
  log(): string;
  stop(): Promise<void>;
}

export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'terminal.integrated.enablePersistentSessions': false,
  'window.restoreWindows': 'none',
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function startCodeServer(opts: { workspace: string; vsix?: string; settings?: Record<string, unknown>; env?: Record<string, string> }): Promise<CodeServer> {
  const entry = ensureCodeServer();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-cs-'));
  for (const d of ['ud/User', 'exts', 'xdg-data', 'xdg-config', 'tmp']) fs.mkdirSync(path.join(runDir, d), { recursive: true });
  fs.writeFileSync(path.join(runDir, 'ud/User/settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...(opts.settings ?? {}) }, null, 2));
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_DATA_HOME: path.join(runDir, 'xdg-data'), XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'), TMPDIR: path.join(runDir, 'tmp'), ...(opts.env ?? {}) };
  delete env['CAIRN_TRACKING_URI'];
  delete env['CAIRN_TOKEN'];
  const common = ['--user-data-dir', path.join(runDir, 'ud'), '--extensions-dir', path.join(runDir, 'exts')];
  if (opts.vsix) execFileSync(process.execPath, [entry, ...common, '--install-extension', opts.vsix], { env, stdio: 'pipe', timeout: 120_000 });
  const port = await freePort();
  const logFile = path.join(runDir, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  // detached = its own process group (setsid), so stop() ends the server, extension host, pty host and watcher together.
  const child: ChildProcess = spawn(
    process.execPath,
    [entry, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', ...common, opts.workspace],
    { env, detached: true, stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${fs.readFileSync(logFile, 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`code-server did not answer /healthz in 60 s:\n${fs.readFileSync(logFile, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = async () => {
    stopWorkspaceBackend(opts.workspace);
    if (child.pid === undefined || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
    // Leftover members of the group (watcher, pty host) get the same end.
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // none left
    }
  };
  return { url, runDir, log: () => fs.readFileSync(logFile, 'utf8'), stop };
}

/**
 * The extension starts the workspace's backend detached (it outlives VS Code on purpose, for the
 * terminals using it); a test stops the one it caused, by the pid in `.cairn/server.json`.
 */
export function stopWorkspaceBackend(workspace: string): void {
  try {
    const rec = JSON.parse(fs.readFileSync(path.join(workspace, '.cairn', 'server.json'), 'utf8')) as { pid?: number };
    if (rec.pid) process.kill(rec.pid, 'SIGTERM');
  } catch {
    // no backend was started, or it is gone already
  }
}
