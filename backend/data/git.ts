import { execFile, spawn } from 'node:child_process';
import { CairnError } from '../core/errors';

/**
 * The few git operations data versioning needs, run with the `git` executable (batch reads through
 * one `git cat-file --batch` process, so reading thousands of pointers costs one spawn).
 */
export async function git(cwd: string, args: string[], opts: { input?: string | Buffer; allowFail?: boolean } = {}): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd, encoding: 'buffer', maxBuffer: 1 << 30, env: gitEnv() }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') return reject(new CairnError('INVALID_STATE', 'git is not installed (it is needed for this command).'));
      if (code !== 0 && !opts.allowFail) {
        return reject(new CairnError('INVALID_STATE', `git ${args.join(' ')} failed: ${String(stderr).trim() || (err as Error).message}`));
      }
      resolve({ code, stdout: stdout as Buffer, stderr: String(stderr) });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

/** Git's environment without variables that would redirect it to another repository. */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  delete env['GIT_DIR'];
  delete env['GIT_WORK_TREE'];
  delete env['GIT_INDEX_FILE'];
  return env;
}

export const gitText = async (cwd: string, args: string[]) => (await git(cwd, args)).stdout.toString('utf8');

const nulList = (b: Buffer) =>
  b
    .toString('utf8')
    .split('\0')
    .filter((s) => s !== '');

/** The top of the work tree holding `dir`, or undefined outside git. */
export async function gitTopLevel(dir: string): Promise<string | undefined> {
  const r = await git(dir, ['rev-parse', '--show-toplevel'], { allowFail: true }).catch(() => undefined);
  return r && r.code === 0 ? r.stdout.toString('utf8').trim() : undefined;
}

/** The repository's common git dir (shared by all its worktrees), absolute. */
export async function gitCommonDir(dir: string): Promise<string> {
  return (await gitText(dir, ['rev-parse', '--path-format=absolute', '--git-common-dir'])).trim();
}

/** Files matching a pathspec that git tracks or would track (not ignored). */
export async function lsFiles(root: string, pathspecs: string[], opts: { others?: boolean } = {}): Promise<string[]> {
  const args = ['ls-files', '-z', '--cached'];
  if (opts.others) args.push('--others', '--exclude-standard');
  return nulList((await git(root, [...args, '--', ...pathspecs])).stdout);
}

/** A revision's commit id; throws a clear error if it does not name a commit here. */
export async function resolveCommit(root: string, rev: string): Promise<string> {
  const r = await git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { allowFail: true });
  if (r.code !== 0) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `'${rev}' is not a commit in the repository at ${root}.`);
  return r.stdout.toString('utf8').trim();
}

export async function commitExists(root: string, commit: string): Promise<boolean> {
  const r = await git(root, ['cat-file', '-e', `${commit}^{commit}`], { allowFail: true });
  return r.code === 0;
}

/** Files of a tree (`rev`) whose names end with `suffix`. */
export async function lsTree(root: string, rev: string, suffix: string): Promise<string[]> {
  return nulList((await git(root, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', rev])).stdout).filter((p) => p.endsWith(suffix));
}

/**
 * Reads many blobs (`<rev>:<path>` or blob ids) through one `git cat-file --batch`; a missing one
 * maps to undefined.
 */
export async function readBlobs(root: string, specs: string[]): Promise<(Buffer | undefined)[]> {
  if (specs.length === 0) return [];
  const out = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: root, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new CairnError('INVALID_STATE', `git cat-file failed: ${err.trim()}`))));
    child.stdin.end(specs.map((s) => s + '\n').join(''));
  });
  const results: (Buffer | undefined)[] = [];
  let pos = 0;
  for (let i = 0; i < specs.length; i++) {
    const nl = out.indexOf(10, pos);
    const header = out.subarray(pos, nl).toString('utf8');
    pos = nl + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
      results.push(undefined);
      continue;
    }
    const size = Number(header.slice(header.lastIndexOf(' ') + 1));
    results.push(out.subarray(pos, pos + size));
    pos += size + 1;
  }
  return results;
}

/** Commits (newest first) that changed `path`, with their time, author and subject. */
export async function logOf(root: string, path: string, maxCount = 200): Promise<{ commit: string; time: number; author: string; subject: string }[]> {
  const text = await gitText(root, ['log', `--max-count=${maxCount}`, '--format=%H%x00%ct%x00%an%x00%s%x00', '--', path]);
  const parts = text.split('\0');
  const out = [];
  for (let i = 0; i + 3 < parts.length; i += 4) {
    out.push({ commit: parts[i]!.trim(), time: Number(parts[i + 1]) * 1000, author: parts[i + 2]!, subject: parts[i + 3]! });
  }
  return out;
}

/** Blob ids of every `*.cairn` file in every commit reachable from any ref. */
export async function pointerBlobsInHistory(root: string, suffix: string): Promise<string[]> {
  const r = await git(root, ['rev-list', '--all', '--objects'], { allowFail: true });
  if (r.code !== 0) return [];
  const ids = new Set<string>();
  for (const line of r.stdout.toString('utf8').split('\n')) {
    const sp = line.indexOf(' ');
    if (sp > 0 && line.endsWith(suffix)) ids.add(line.slice(0, sp));
  }
  return [...ids];
}
