import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Size and modification time of a file when a snapshot was taken. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** Files under the watched folders, by path relative to the workspace (`/`-separated). */
export type Snapshot = Map<string, FileStamp>;

export interface WatchSpec {
  workspace: string;
  /**
   * Folders to watch (absolute). Undefined: the workspace minus git-ignored paths. Explicit folders
   * are watched whole, even when git ignores them.
   */
  roots?: string[];
}

/** Never outputs: version control, Cairn's own store, dependency and cache folders. */
const SKIP_DIRS = new Set(['.git', '.cairn', 'node_modules', '__pycache__', '.venv', 'venv', '.mypy_cache', '.pytest_cache', '.ipynb_checkpoints', '.hg', '.svn']);

const toPosix = (p: string) => p.split(path.sep).join('/');

/** The files the watched folders hold now. */
export function snapshot(spec: WatchSpec): Snapshot {
  const out: Snapshot = new Map();
  const add = (rel: string, abs: string) => {
    try {
      const st = fs.statSync(abs);
      if (st.isFile()) out.set(rel, { size: st.size, mtimeMs: st.mtimeMs });
    } catch {
      // vanished between listing and stat
    }
  };
  if (spec.roots) {
    for (const root of spec.roots) walk(root, (abs) => add(toPosix(path.relative(spec.workspace, abs)), abs));
    return out;
  }
  const listed = gitListing(spec.workspace);
  if (listed) {
    for (const rel of listed) {
      if (rel.split('/').some((seg) => SKIP_DIRS.has(seg))) continue;
      add(rel, path.join(spec.workspace, rel));
    }
  } else walk(spec.workspace, (abs) => add(toPosix(path.relative(spec.workspace, abs)), abs));
  return out;
}

/** Files that are new, or whose size or modification time changed, between two snapshots. */
export function changedFiles(before: Snapshot, after: Snapshot): string[] {
  const changed: string[] = [];
  for (const [rel, now] of after) {
    const then = before.get(rel);
    if (!then || then.size !== now.size || then.mtimeMs !== now.mtimeMs) changed.push(rel);
  }
  return changed.sort();
}

/** Tracked and untracked-but-not-ignored files under `dir` (relative to it), or undefined outside git. */
function gitListing(dir: string): string[] | undefined {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: dir, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
    return [...new Set(out.toString('utf8').split('\0').filter(Boolean))];
  } catch {
    return undefined;
  }
}

function walk(dir: string, onFile: (abs: string) => void): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(abs, onFile);
    } else if (e.isFile()) onFile(abs);
  }
}
