import { execFile } from 'node:child_process';

/** Runs git in the workspace with a timeout (never unbounded). */
export function git(cwd: string, args: string[], timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`git ${args.join(' ')}: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

/** A file's text at a commit; undefined when the file does not exist there. */
export async function showAtCommit(cwd: string, commit: string, file: string): Promise<string | undefined> {
  try {
    return await git(cwd, ['show', `${commit}:${file}`]);
  } catch {
    return undefined;
  }
}

export async function changedBetween(cwd: string, a: string, b: string): Promise<string[]> {
  if (a === b) return [];
  const out = await git(cwd, ['diff', '--name-only', '--no-renames', a, b]);
  return out.split('\n').filter(Boolean);
}
