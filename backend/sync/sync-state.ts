import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';

/**
 * What a sync to one target already delivered: an append-only log of (kind, id, fingerprint)
 * lines in `<store>/sync/<target>.jsonl`, each written once the item is fully on the target. A sync
 * that was interrupted resumes by skipping the items whose fingerprint is already recorded; a torn
 * last line (a crash mid-write) is ignored.
 */
export class SyncState {
  private readonly done = new Map<string, string>();
  private readonly fd: number;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (fs.existsSync(file)) {
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        try {
          const rec = JSON.parse(line) as { kind: string; id: string; fp: string };
          this.done.set(`${rec.kind}\u0000${rec.id}`, rec.fp);
        } catch {
          // an empty or torn line
        }
      }
    }
    this.fd = fs.openSync(file, 'a');
  }

  /** `<store>/sync/<hash of target URL>.jsonl` */
  static forTarget(storeDir: string, targetUrl: string): SyncState {
    const name = createHash('sha256').update(targetUrl.replace(/\/+$/, '')).digest('hex').slice(0, 16);
    return new SyncState(path.join(storeDir, 'sync', `${name}.jsonl`));
  }

  isDone(kind: string, id: string, fingerprint: string): boolean {
    return this.done.get(`${kind}\u0000${id}`) === fingerprint;
  }

  record(kind: string, id: string, fingerprint: string): void {
    fs.writeSync(this.fd, JSON.stringify({ kind, id, fp: fingerprint }) + '\n');
    this.done.set(`${kind}\u0000${id}`, fingerprint);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** A stable random id of the local store, so the target can tell whose model versions it holds. */
export function sourceIdOf(storeDir: string): string {
  const file = path.join(storeDir, 'sync', 'source-id');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const id = randomBytes(8).toString('hex');
    fs.writeFileSync(file, id + '\n', { flag: 'wx' });
    return id;
  }
}

export const fingerprint = (...parts: unknown[]): string => createHash('sha256').update(JSON.stringify(parts)).digest('hex');
