import * as fs from 'node:fs';
import * as path from 'node:path';
import { findWorkspaceRoot } from '../client/discovery';
import { invalidParam } from '../core/errors';
import { FsObjectStore } from '../store/fs/fs-object-store';
import { gitCommonDir, gitTopLevel } from './git';

/**
 * Where data versioning works: the workspace root (pointers and data live under it) and the store
 * whose `objects/` holds the content. The CLI writes objects there directly — the same layout the
 * server uses (`<store>/objects/ab/cdef…`, temp file then rename), so both can write at once; the
 * server's lock covers its metadata, not `objects/`. Every worktree of a repository shares the
 * main worktree's store, the way git shares its object database.
 */
export interface DataWorkspace {
  root: string;
  storeDir: string;
  objects: FsObjectStore;
  /** `<store>/data`: the stat cache, the list of objects data versioning wrote, the lock. */
  stateDir: string;
  /** True inside a git work tree. */
  git: boolean;
  /** fsync new objects before pointers name them (CAIRN_FSYNC=0 turns it off). */
  durable: boolean;
}

export async function openWorkspace(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<DataWorkspace> {
  const start = path.resolve(dir);
  const top = await gitTopLevel(start);
  const root = top ? fs.realpathSync(top) : fs.realpathSync(findWorkspaceRoot(start));
  let storeDir = env['CAIRN_STORE'] ? path.resolve(env['CAIRN_STORE']) : path.join(root, '.cairn');
  if (!env['CAIRN_STORE'] && top && fs.statSync(path.join(root, '.git')).isFile()) {
    // A linked worktree (`cairn reproduce` makes them): use the main worktree's store.
    const common = await gitCommonDir(root);
    if (path.basename(common) === '.git') storeDir = path.join(path.dirname(common), '.cairn');
  }
  return workspaceAt(root, storeDir, { git: top !== undefined, durable: env['CAIRN_FSYNC'] !== '0' });
}

export function workspaceAt(root: string, storeDir: string, opts: { git: boolean; durable?: boolean }): DataWorkspace {
  const stateDir = path.join(storeDir, 'data');
  fs.mkdirSync(stateDir, { recursive: true });
  return { root, storeDir, objects: new FsObjectStore(path.join(storeDir, 'objects'), false), stateDir, git: opts.git, durable: opts.durable ?? true };
}

/** Workspace-relative, `/`-separated path of a user-given path; refuses anything outside the workspace or inside `.git`/`.cairn`. */
export function relPath(ws: DataWorkspace, p: string, cwd = process.cwd()): string {
  const abs = path.resolve(cwd, p);
  let real = abs;
  try {
    real = path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
  } catch {
    // the parent does not exist; the lexical path is what we check
  }
  const rel = path.relative(ws.root, real);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw invalidParam(`'${p}' is not inside the workspace ${ws.root}.`);
  const posix = rel.split(path.sep).join('/');
  const first = posix.split('/')[0];
  if (first === '.git' || first === '.cairn') throw invalidParam(`'${p}' is inside ${first}/, which Cairn manages itself.`);
  return posix;
}

/** Absolute path of a workspace-relative `/` path, after checking it cannot escape the workspace. */
export function absPath(ws: DataWorkspace, rel: string): string {
  if (rel === '' || rel.split('/').some((s) => s === '..' || s === '.' || s === '') || path.isAbsolute(rel) || rel.includes('\\') || rel.includes('\0')) {
    throw invalidParam(`Invalid workspace path '${rel}'.`);
  }
  return path.join(ws.root, ...rel.split('/'));
}
