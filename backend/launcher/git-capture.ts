import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The code state of a run: where it came from and what differed from the commit. */
export interface GitState {
  /** The repository's top-level folder. */
  root: string;
  /** The workspace's path inside the repository (`.` when it is the root). */
  subdir: string;
  /** Undefined in a repository with no commit yet (the diff is then against the empty tree). */
  commit?: string;
  /** Undefined on a detached HEAD. */
  branch?: string;
  /** The `origin` remote (else the first remote), without credentials. */
  remoteUrl?: string;
  /**
   * `git diff --binary` from the commit to the working tree, including untracked text files:
   * `git apply` on a checkout of `commit` restores exactly the files the run started with.
   */
  diff: Buffer;
  /** Untracked files left out of the diff (binary, or over the size limit). */
  skipped: string[];
}

export interface GitCaptureOptions {
  /** Untracked files larger than this are left out (default 1 MiB). */
  maxUntrackedFileBytes?: number;
  /** Untracked files stop being added once their total passes this (default 10 MiB). */
  maxUntrackedTotalBytes?: number;
  /** Folders (absolute) never captured, e.g. the workspace's `.cairn`. */
  excludeDirs?: string[];
}

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

function git(cwd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd, env: { ...process.env, ...opts.env }, encoding: 'buffer', maxBuffer: 1 << 30 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`git ${args.join(' ')}: ${stderr.toString().trim() || err.message}`));
      else resolve(stdout);
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

const text = async (cwd: string, args: string[]) => (await git(cwd, args)).toString('utf8').trim();
const maybe = async (cwd: string, args: string[]) => text(cwd, args).catch(() => undefined);

/** Removes `user:password@` from a remote URL, so tokens never end up in run tags. */
export function redactRemote(url: string): string {
  return url.replace(/^([a-z][\w+.-]*:\/\/)[^@/]*@/i, '$1');
}

function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** True if the first 8000 bytes hold a NUL (git's own test for binary content). */
function looksBinary(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(8000);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).includes(0);
  } finally {
    fs.closeSync(fd);
  }
}

/** The git state of the repository holding `dir`, or undefined when it is not in one (or git is missing). */
export async function captureGitState(dir: string, opts: GitCaptureOptions = {}): Promise<GitState | undefined> {
  const root = await maybe(dir, ['rev-parse', '--show-toplevel']);
  if (!root) return undefined;
  const [commit, branch, remotes] = await Promise.all([
    maybe(root, ['rev-parse', '--verify', '-q', 'HEAD']),
    maybe(root, ['symbolic-ref', '--short', '-q', 'HEAD']),
    maybe(root, ['remote']).then((r) => (r ?? '').split('\n').filter(Boolean)),
  ]);
  const remote = remotes.includes('origin') ? 'origin' : remotes[0];
  const [remoteUrl, { diff, skipped }] = await Promise.all([remote ? maybe(root, ['remote', 'get-url', remote]) : undefined, workingTreeDiff(root, commit ?? EMPTY_TREE, opts)]);
  return {
    root,
    subdir: path.relative(root, realpath(dir)).split(path.sep).join('/') || '.',
    commit,
    branch: branch || undefined,
    remoteUrl: remoteUrl ? redactRemote(remoteUrl) : undefined,
    diff,
    skipped,
  };
}

/**
 * The diff from `base` to the working tree, built in a throw-away copy of the index so the
 * user's staging area is never touched: tracked changes (`add -u`) plus the untracked text files
 * that fit the limits, then `diff --cached --binary`.
 */
async function workingTreeDiff(root: string, base: string, opts: GitCaptureOptions): Promise<{ diff: Buffer; skipped: string[] }> {
  const maxFile = opts.maxUntrackedFileBytes ?? 1 << 20;
  const maxTotal = opts.maxUntrackedTotalBytes ?? 10 << 20;
  const exclude = (opts.excludeDirs ?? []).map((d) => path.relative(root, realpath(d)).split(path.sep).join('/')).filter((r) => r !== '' && !r.startsWith('..'));
  const excluded = (rel: string) => exclude.some((e) => rel === e || rel.startsWith(`${e}/`));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-index-'));
  try {
    const index = path.join(tmp, 'index');
    const realIndex = path.resolve(root, await text(root, ['rev-parse', '--git-path', 'index']));
    if (fs.existsSync(realIndex)) {
      fs.copyFileSync(realIndex, index);
      // Keep the index's own mtime: git compares it with files' mtimes to spot "racily clean"
      // entries (changed within the same tick as the index was written, size unchanged); a copy
      // stamped "now" would make git trust stale stat data and miss such an edit.
      const st = fs.statSync(realIndex);
      fs.utimesSync(index, st.atime, st.mtime);
    }
    const env = { GIT_INDEX_FILE: index };
    await git(root, ['add', '-u'], { env });
    const untracked = (await git(root, ['ls-files', '-z', '--others', '--exclude-standard'])).toString('utf8').split('\0').filter(Boolean);
    const skipped: string[] = [];
    const take: string[] = [];
    let total = 0;
    for (const rel of untracked) {
      if (excluded(rel)) continue;
      const abs = path.join(root, rel);
      let st: fs.Stats;
      try {
        st = fs.lstatSync(abs);
      } catch {
        continue;
      }
      if (st.isSymbolicLink()) take.push(rel);
      else if (!st.isFile()) continue;
      else if (st.size > maxFile || total + st.size > maxTotal || looksBinary(abs)) skipped.push(rel);
      else {
        take.push(rel);
        total += st.size;
      }
    }
    if (take.length > 0) await git(root, ['add', '-f', '--pathspec-from-file=-', '--pathspec-file-nul'], { env, input: take.join('\0') + '\0' });
    const diff = await git(root, ['diff', '--cached', '--binary', '--full-index', '--no-color', '--no-ext-diff', '--no-renames', '--no-relative', '--src-prefix=a/', '--dst-prefix=b/', base], { env });
    return { diff, skipped };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
