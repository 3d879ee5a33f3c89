// Every automated step (checks, drift found, notifications, retraining) as one fsynced JSON line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AuditEntry } from '../api/drift';

export class AuditLog {
  private readonly file: string;

  constructor(
    dir: string,
    private readonly fsync = true,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, 'audit.jsonl');
  }

  append(entry: Omit<AuditEntry, 'time'>): AuditEntry {
    const full: AuditEntry = { time: Date.now(), ...entry };
    const fd = fs.openSync(this.file, 'a');
    try {
      fs.writeSync(fd, JSON.stringify(full) + '\n');
      if (this.fsync) fs.fdatasyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return full;
  }

  /** The newest `limit` entries, newest first. */
  list(limit = 200, monitor?: string): AuditEntry[] {
    if (!fs.existsSync(this.file)) return [];
    const out: AuditEntry[] = [];
    for (const line of fs.readFileSync(this.file, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const e = JSON.parse(line) as AuditEntry;
        if (!monitor || e.monitor === monitor) out.push(e);
      } catch {
        // torn last line
      }
    }
    return out.slice(-limit).reverse();
  }
}
