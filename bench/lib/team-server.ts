import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './server';

const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface TeamReplica {
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** One `cairn server --db …` replica on 127.0.0.1. */
export async function startReplica(db: string, schema: string): Promise<TeamReplica> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} missing: run 'npm run build'`);
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-replica-'));
  const proc = spawn(process.execPath, [CLI, 'server', '--db', db, '--db-schema', schema, '--store', store, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /ready at (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (c) => reject(new Error(`replica exited ${c}: ${err}`)));
  });
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
