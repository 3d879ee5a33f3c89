import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const GIT_ENV = { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 't@example.invalid', GIT_CONFIG_NOSYSTEM: '1' };

/** Runs git in `cwd` with a fixed identity; returns stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');
}

/** A new repository; with `files`, they are committed and the commit id is returned. */
export function initRepo(dir: string, files?: Record<string, string | Buffer>): string {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  if (!files) return '';
  writeFiles(dir, files);
  return commitAll(dir, 'initial');
}

/** Stages everything and commits; returns the new commit id. */
export function commitAll(dir: string, message: string): string {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD').trim();
}

export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
}

/** Every file under `dir` (minus .git) → its bytes and whether it is executable. */
export function treeOf(dir: string, skip: (rel: string) => boolean = () => false): Map<string, { data: string; exec: boolean }> {
  const out = new Map<string, { data: string; exec: boolean }>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      const rel = path.relative(dir, abs).split(path.sep).join('/');
      if (e.name === '.git' || skip(rel)) continue;
      if (e.isDirectory()) walk(abs);
      else out.set(rel, { data: fs.readFileSync(abs).toString('base64'), exec: (fs.statSync(abs).mode & 0o100) !== 0 });
    }
  };
  walk(dir);
  return out;
}
