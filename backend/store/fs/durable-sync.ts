import { execFile } from 'node:child_process';
import * as fs from 'node:fs';

/** Above this many files one `syncfs` beats one `fdatasync` per file. */
const SYNCFS_THRESHOLD = 16;
const PARALLEL_SYNCS = 8;

/**
 * Makes the given files (or directories) durable. Many files: one `syncfs(2)` of their file system
 * (`sync -f`, Linux), which costs about one journal commit instead of one per file; otherwise, or
 * where `sync -f` is unavailable, an fsync per path.
 */
export async function syncPaths(paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  if (paths.length > SYNCFS_THRESHOLD && process.platform === 'linux' && (await syncFileSystem(paths[0]!))) return;
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

function syncFileSystem(anyPath: string): Promise<boolean> {
  return new Promise((resolve) => execFile('sync', ['-f', anyPath], (err) => resolve(!err)));
}
