import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnServer } from './server';

export interface TeamReplica {
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** One `cairn server --db …` replica on 127.0.0.1. */
export async function startReplica(db: string, schema: string): Promise<TeamReplica> {
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-replica-'));
  const { proc, url, exited } = await spawnServer(['--db', db, '--db-schema', schema, '--store', store, '--port', '0']);
  return {
    url,
    proc,
    stop: async () => {
      proc.kill('SIGTERM');
      await exited;
      fs.rmSync(store, { recursive: true, force: true });
    },
  };
}
