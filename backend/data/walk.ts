import * as fs from 'node:fs';
import * as path from 'node:path';

export interface WalkResult {
  /** `/`-separated paths of regular files, relative to the folder walked. */
  files: string[];
  /** Symbolic links and special files, which are not versioned. */
  skipped: string[];
  /** With `statDirs`: every folder walked (`''` for `absDir` itself), stat taken before it was listed. */
  dirs: { path: string; st: fs.Stats }[];
}

/**
 * Every regular file under `absDir` (symlinks are not followed), in the order of their full paths:
 * each folder's entries are sorted with a `/` after folder names, which is exactly where a path
 * under that folder sorts — so manifests need no global sort.
 */
export function walkFiles(absDir: string, opts: { statDirs?: boolean } = {}): WalkResult {
  const files: string[] = [];
  const skipped: string[] = [];
  const dirs: WalkResult['dirs'] = [];
  const key = (d: fs.Dirent) => (d.isDirectory() ? d.name + '/' : d.name);
  const visit = (dir: string, prefix: string) => {
    if (opts.statDirs) dirs.push({ path: prefix.slice(0, -1), st: fs.lstatSync(dir) });
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    for (const d of entries) {
      const rel = prefix + d.name;
      if (d.isDirectory()) visit(path.join(dir, d.name), rel + '/');
      else if (d.isFile()) files.push(rel);
      else skipped.push(rel);
    }
  };
  visit(absDir, '');
  return { files, skipped, dirs };
}

/** Removes empty folders under (not including) `absDir`. */
export function pruneEmptyDirs(absDir: string): void {
  const visit = (dir: string): boolean => {
    let empty = true;
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      if (d.isDirectory() && visit(path.join(dir, d.name))) fs.rmdirSync(path.join(dir, d.name));
      else empty = false;
    }
    return empty;
  };
  visit(absDir);
}
