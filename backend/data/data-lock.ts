import * as fs from 'node:fs';
import * as path from 'node:path';
import { CairnError } from '../core/errors';
import { isAlive } from '../core/process-alive';
import type { DataWorkspace } from './workspace';

/**
 * Serialises the data commands that change the store or the workspace (add, checkout, pull, gc):
 * without it a gc could delete an object an add has stored but not yet named in a pointer. A lock
 * held by a dead process is taken over; a live holder is waited for up to `waitMs`.
 */
export async function withDataLock<T>(ws: DataWorkspace, what: string, fn: () => Promise<T>, waitMs = 30_000): Promise<T> {
  const file = path.join(ws.stateDir, 'lock');
  const depth = held.get(file) ?? 0;
  if (depth > 0) {
    // Re-entered from this process (pull → checkout): the lock is already ours.
    held.set(file, depth + 1);
    try {
      return await fn();
    } finally {
      held.set(file, depth);
    }
  }
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      fs.writeFileSync(file, `${process.pid} ${what}`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const [pidText, ...rest] = readLock(file).split(' ');
      const pid = Number(pidText);
      if (!pid || pid === process.pid || !isAlive(pid)) {
        fs.rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new CairnError('RESOURCE_CONFLICT', `Another data command (${rest.join(' ') || 'unknown'}, pid ${pid}) is using ${ws.storeDir}; try again when it has finished.`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  held.set(file, 1);
  try {
    return await fn();
  } finally {
    held.delete(file);
    fs.rmSync(file, { force: true });
  }
}

const held = new Map<string, number>();

function readLock(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
