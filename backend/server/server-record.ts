import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ServerRecord } from '../api/cairn';

export const serverRecordPath = (storeDir: string) => path.join(storeDir, 'server.json');

/** Writes `<store>/server.json` with mode 0600 (it holds the token), atomically. */
export function writeServerRecord(storeDir: string, rec: ServerRecord): void {
  const file = serverRecordPath(storeDir);
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(rec, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

export function readServerRecord(storeDir: string): ServerRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(serverRecordPath(storeDir), 'utf8')) as ServerRecord;
  } catch {
    return undefined;
  }
}
