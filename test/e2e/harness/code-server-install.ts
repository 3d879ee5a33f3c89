// Installs code-server (a real VS Code 1.100.3) from the npm registry into a cache folder outside
// the repository, following ../shared/reference/vscode-e2e.md §2: --ignore-scripts (its install
// scripts download ripgrep and need root), Debian's ripgrep, then targeted native rebuilds.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
export const CACHE_DIR = process.env['CAIRN_E2E_CACHE'] ?? path.join(os.homedir(), '.cache', 'cairn-e2e', `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_DIR = path.join(CACHE_DIR, 'node_modules', 'code-server');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'out', 'node', 'entry.js');
const READY_MARK = path.join(CACHE_DIR, '.cairn-ready');

function run(cmd: string, args: string[], cwd: string, log: (m: string) => void): void {
  const started = Date.now();
  execFileSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
    maxBuffer: 64 * 1024 * 1024,
  });
  log(`  ${cmd} ${args.join(' ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function requireSystemFile(file: string, pkg: string): void {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: install the Debian package '${pkg}' (it is in README's ci-packages line)`);
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Returns the path of code-server's entry.js, installing it first if the cache is empty. Test
 * files run in parallel: a lock folder makes one of them install while the others wait.
 */
export function ensureCodeServer(log: (m: string) => void = (m) => console.log(m)): string {
  if (fs.existsSync(READY_MARK) && fs.existsSync(CODE_SERVER_ENTRY)) return CODE_SERVER_ENTRY;
  const lock = `${CACHE_DIR}.lock`;
  fs.mkdirSync(path.dirname(CACHE_DIR), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock older than the deadline belongs to a killed installer.
      if (Date.now() - fs.statSync(lock).mtimeMs > 15 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for another code-server install (${lock})`);
      sleep(1000);
    }
  }
  try {
    if (fs.existsSync(READY_MARK) && fs.existsSync(CODE_SERVER_ENTRY)) return CODE_SERVER_ENTRY;
    return install(log);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function install(log: (m: string) => void): string {
  requireSystemFile('/usr/bin/rg', 'ripgrep');
  requireSystemFile('/usr/include/krb5.h', 'libkrb5-dev');
  const started = Date.now();
  log(`installing code-server ${CODE_SERVER_VERSION} into ${CACHE_DIR} (once; cached afterwards)`);
  fs.rmSync(CACHE_DIR, { recursive: true, force: true });
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  fs.writeFileSync(path.join(CACHE_DIR, 'package.json'), JSON.stringify({ name: 'cairn-e2e-code-server', private: true }));
  run('npm', ['install', '--ignore-scripts', '--no-save', `code-server@${CODE_SERVER_VERSION}`], CACHE_DIR, log);
  const vscodeDir = path.join(CODE_SERVER_DIR, 'lib', 'vscode');
  run('npm', ['install', '--omit=dev', '--ignore-scripts'], vscodeDir, log);
  const rgDir = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  fs.mkdirSync(rgDir, { recursive: true });
  fs.copyFileSync('/usr/bin/rg', path.join(rgDir, 'rg'));
  fs.chmodSync(path.join(rgDir, 'rg'), 0o755);
  run('npm', ['rebuild', '@parcel/watcher', '@vscode/deviceid', '@vscode/spdlog', 'kerberos', 'native-watchdog', 'node-pty'], vscodeDir, log);
  const asar = path.join(vscodeDir, 'node_modules.asar');
  fs.rmSync(asar, { force: true });
  fs.symlinkSync('node_modules', asar);
  run('npm', ['rebuild', 'argon2'], CACHE_DIR, log);
  const xdg = path.join(CACHE_DIR, 'xdg');
  const version = execFileSync(process.execPath, [CODE_SERVER_ENTRY, '--version'], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg } }).trim();
  if (!version.includes(CODE_SERVER_VERSION)) throw new Error(`code-server --version printed '${version}', expected ${CODE_SERVER_VERSION}`);
  fs.writeFileSync(READY_MARK, `${version}\n`);
  log(`code-server ready (${((Date.now() - started) / 1000).toFixed(1)} s): ${version.split('\n')[0]}`);
  return CODE_SERVER_ENTRY;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) ensureCodeServer();
