import * as fs from 'node:fs';
import * as path from 'node:path';
import { CairnError } from '../core/errors';
import { isAlive } from '../core/process-alive';

/** One server per store: a lock file holding the owner's pid; a dead owner's lock is taken over. */
export function lockStore(storeDir: string): () => void {
  const file = path.join(storeDir, 'server.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(file, 'utf8'));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new CairnError('RESOURCE_CONFLICT', `Another Cairn server (pid ${owner}) is using the store ${storeDir}.`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new CairnError('RESOURCE_CONFLICT', `Cannot lock the store ${storeDir}.`);
}
