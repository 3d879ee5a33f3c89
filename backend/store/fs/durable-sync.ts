import { execFile } from 'node:child_process';
import * as fs from 'node:fs';

/** Above this many files one `syncfs` beats one `fdatasync` per file. */
const SYNCFS_THRESHOLD = 16;
const PARALLEL_SYNCS = 8;

/**
 * Makes the given files (or directories) durable. Many files: one `syncfs(2)` of their file system
 * (`sync -f`, Linux), which costs about one journal commit instead of one per file, and is shared
 * by concurrent callers (group commit); otherwise, or where `sync -f` is unavailable, an fsync per path.
 */
export async function syncPaths(paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  if (paths.length > SYNCFS_THRESHOLD && process.platform === 'linux' && (await groupSyncfs(paths[0]!))) return;
  let next = 0;
  const worker = async () => {
    while (next < paths.length) await fsyncPath(paths[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_SYNCS, paths.length) }, worker));
}

export async function fsyncPath(p: string): Promise<void> {
  const fh = await fs.promises.open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

interface FsSync {
  running?: Promise<boolean>;
  queued?: Promise<boolean>;
}
const byDevice = new Map<number, FsSync>();

/**
 * A syncfs that began after the caller's writes: joins the one queued behind a running sync (which
 * may have started before those writes), or starts one. Callers arriving together share a sync.
 */
function groupSyncfs(anyPath: string): Promise<boolean> {
  const dev = fs.statSync(anyPath).dev;
  let s = byDevice.get(dev);
  if (!s) byDevice.set(dev, (s = {}));
  const state = s;
  if (!state.running) {
    state.running = syncFileSystem(anyPath).finally(() => (state.running = undefined));
    return state.running;
  }
  state.queued ??= state.running.then(() => {
    state.queued = undefined;
    return groupSyncfs(anyPath);
  });
  return state.queued;
}

function syncFileSystem(anyPath: string): Promise<boolean> {
  return new Promise((resolve) => execFile('sync', ['-f', anyPath], (err) => resolve(!err)));
}
