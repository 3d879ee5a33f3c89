// Data versioning benchmark: `cairn data add` of a 1 GiB file against `sha256sum` of the same file,
// add and status over 100,000 small files, and push/pull over loopback between two processes.
//   npm run bench:data            (CAIRN_BENCH_SMALL_FILES=N to change the 100,000)
import { spawn, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const GIB = 1 << 30;
const SMALL_FILES = Number(process.env['CAIRN_BENCH_SMALL_FILES'] ?? 100_000);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-data-'));
const figures: Record<string, number> = {};
const children: import('node:child_process').ChildProcess[] = [];

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const round = (x: number, d = 3) => Number(x.toFixed(d));

/** Runs a command, failing loudly; returns its wall time in seconds. */
function timed(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): { s: number; stdout: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const s = seconds(t0);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { s, stdout: r.stdout };
}

const cairn = (args: string[], cwd: string, env: Record<string, string> = {}) => timed(process.execPath, [CLI, ...args], cwd, env);
const git = (cwd: string, ...args: string[]) => timed('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', ...args], cwd);

function newRepo(name: string): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  return dir;
}

function writeRandomFile(file: string, size: number): void {
  const chunk = Buffer.allocUnsafe(16 << 20);
  const fd = fs.openSync(file, 'w');
  for (let done = 0; done < size; done += chunk.length) fs.writeSync(fd, randomFillSync(chunk), 0, Math.min(chunk.length, size - done));
  fs.closeSync(fd);
}

async function startServer(store: string): Promise<{ url: string; token: string }> {
  const child = spawn(process.execPath, [CLI, 'server', '--store', store], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /ready at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, token: (JSON.parse(fs.readFileSync(path.join(store, 'server.json'), 'utf8')) as { token: string }).token };
}

function report(name: string, value: number, unit: string): void {
  figures[name] = value;
  console.log(`${name.padEnd(34)} ${String(value).padStart(12)} ${unit}`);
}

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build'`);
  console.log(`data bench in ${work} (${os.cpus().length} cpu, node ${process.version})`);

  // ── 1 GiB file: cairn data add vs sha256sum ─────────────────────────────────────────────
  const big = newRepo('big');
  writeRandomFile(path.join(big, 'big.bin'), GIB);
  timed('sha256sum', ['big.bin'], big); // warm the page cache for both contenders
  const sums: number[] = [];
  const adds: number[] = [];
  for (let i = 0; i < 2; i++) {
    sums.push(timed('sha256sum', ['big.bin'], big).s);
    fs.rmSync(path.join(big, '.cairn'), { recursive: true, force: true });
    adds.push(cairn(['data', 'add', 'big.bin'], big).s);
  }
  const sha = Math.min(...sums);
  const add = Math.min(...adds);
  report('sha256sum_1GiB_s', round(sha), 's');
  report('add_1GiB_s', round(add), 's');
  report('add_1GiB_MBps', round(GIB / 1e6 / add, 1), 'MB/s');
  report('add_vs_sha256sum_ratio', round(sha / add, 2), '(throughput ratio, target >= 1.0)');
  report('readd_unchanged_1GiB_s', round(cairn(['data', 'add', 'big.bin'], big).s), 's (stat cache: not re-read)');
  git(big, 'add', '-A');
  git(big, 'commit', '-q', '-m', 'big');

  // ── 100,000 small files: add, status ────────────────────────────────────────────────────
  const small = newRepo('small');
  const files = path.join(small, 'files');
  for (let d = 0; d < 100; d++) fs.mkdirSync(path.join(files, `d${d}`), { recursive: true });
  const content = Buffer.allocUnsafe(2048);
  for (let i = 0; i < SMALL_FILES; i++) fs.writeFileSync(path.join(files, `d${i % 100}`, `f${i}.bin`), randomFillSync(content, 0, 256 + (i % 1792)).subarray(0, 256 + (i % 1792)));
  const addSmall = cairn(['data', 'add', 'files'], small).s;
  report('add_small_files', SMALL_FILES, 'files');
  report('add_small_files_s', round(addSmall), 's');
  report('add_small_files_per_s', Math.round(SMALL_FILES / addSmall), 'files/s');
  const statusFirst = cairn(['data', 'status'], small).s;
  const statusRuns = [cairn(['data', 'status'], small).s, cairn(['data', 'status'], small).s, cairn(['data', 'status'], small).s];
  report('status_unchanged_first_s', round(statusFirst), 's (right after add)');
  report('status_unchanged_s', round(Math.min(...statusRuns)), `s (best of 3 over ${SMALL_FILES} files, target <= 1 s, whole CLI process)`);
  git(small, 'add', '-A');
  git(small, 'commit', '-q', '-m', 'files');

  // ── push/pull over loopback ─────────────────────────────────────────────────────────────
  const server = await startServer(path.join(work, 'server'));
  const remote = ['--remote', server.url, '--token', server.token];
  const pushBig = cairn(['data', 'push', ...remote], big).s;
  report('push_1GiB_MBps', round(GIB / 1e6 / pushBig, 1), 'MB/s');
  const pushSmall = cairn(['data', 'push', ...remote], small).s;
  report('push_small_files_per_s', Math.round(SMALL_FILES / pushSmall), 'files/s');
  const bigClone = path.join(work, 'big-clone');
  git(work, 'clone', '-q', big, bigClone);
  const pullBig = cairn(['data', 'pull', ...remote], bigClone).s;
  report('pull_1GiB_MBps', round(GIB / 1e6 / pullBig, 1), 'MB/s (fetch, verify and checkout)');
  const smallClone = path.join(work, 'small-clone');
  git(work, 'clone', '-q', small, smallClone);
  const pullSmall = cairn(['data', 'pull', ...remote], smallClone).s;
  report('pull_small_files_per_s', Math.round(SMALL_FILES / pullSmall), 'files/s (fetch, verify and checkout)');
}

main()
  .then(
    () => 0,
    (err) => {
      console.error(err);
      return 1;
    },
  )
  .then((code) => {
    for (const c of children) c.kill('SIGTERM');
    // Several GiB and ~500,000 files: rm(1) removes them much faster than a recursive rmSync.
    if (spawnSync('rm', ['-rf', work]).status !== 0) fs.rmSync(work, { recursive: true, force: true });
    console.log(JSON.stringify({ bench: 'data', figures }));
    process.exit(code);
  });
