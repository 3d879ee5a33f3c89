import type * as fs from 'node:fs';
import * as fsp from 'node:fs';
import * as path from 'node:path';

/**
 * A file's timestamps can only be trusted to reveal a later change if the file was last written
 * more than one clock tick before it was hashed: a write in the same tick could leave mtime and
 * ctime unchanged ("racy git"). Coarse kernel clocks tick every 1–10 ms.
 */
const RACY_MS = 50;
const MAX_ENTRIES = 2_000_000;

type Entry = [hash: string, ctimeMs: number, recordedAt: number];

/**
 * Hashes of files already hashed, keyed by device + inode + size + mtime and checked against ctime
 * (which no tool can set back), so an unchanged file is never read again — even after a rename.
 * Lives in `<store>/data/stat-cache.json`; losing it only costs re-hashing.
 */
export class StatCache {
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, Entry>,
  ) {}

  static load(stateDir: string): StatCache {
    const file = path.join(stateDir, 'stat-cache.json');
    const entries = new Map<string, Entry>();
    try {
      const raw = JSON.parse(fsp.readFileSync(file, 'utf8')) as { v?: number; e?: Record<string, Entry> };
      if (raw.v === 1 && raw.e) for (const k in raw.e) entries.set(k, raw.e[k]!);
    } catch {
      // absent or unreadable: start empty
    }
    return new StatCache(file, entries);
  }

  /** A cache that starts empty and is never saved: every file gets read (`verify --workspace`). */
  static ephemeral(): StatCache {
    const c = new StatCache('', new Map());
    c.save = () => {};
    return c;
  }

  /** The hash recorded for this exact file state, if any. */
  lookup(st: fs.Stats): string | undefined {
    const e = this.entries.get(keyOf(st));
    if (!e || e[1] !== st.ctimeMs) return undefined;
    return e[0];
  }

  /**
   * Records a hash computed from reading that began at `readStartedAt`. A file written within a
   * clock tick of that moment is not recorded (it will be hashed again next time).
   */
  record(st: fs.Stats, hash: string, readStartedAt: number): void {
    if (Math.max(st.mtimeMs, st.ctimeMs) > readStartedAt - RACY_MS) return;
    this.set(st, hash, readStartedAt);
  }

  /** Records a file this process has just written itself from content of a known hash. */
  recordOwnWrite(st: fs.Stats, hash: string): void {
    this.set(st, hash, Math.max(st.mtimeMs, st.ctimeMs) + RACY_MS + 1);
  }

  get size(): number {
    return this.entries.size;
  }

  save(): void {
    if (!this.dirty) return;
    if (this.entries.size > MAX_ENTRIES) {
      const newest = [...this.entries].sort((a, b) => b[1][2] - a[1][2]).slice(0, MAX_ENTRIES);
      this.entries.clear();
      for (const [k, v] of newest) this.entries.set(k, v);
    }
    const tmp = `${this.file}.${process.pid}.tmp`;
    fsp.writeFileSync(tmp, JSON.stringify({ v: 1, e: Object.fromEntries(this.entries) }));
    fsp.renameSync(tmp, this.file);
    this.dirty = false;
  }

  private set(st: fs.Stats, hash: string, recordedAt: number): void {
    const key = keyOf(st);
    const old = this.entries.get(key);
    if (old && old[0] === hash && old[1] === st.ctimeMs) return;
    this.entries.set(key, [hash, st.ctimeMs, recordedAt]);
    this.dirty = true;
  }
}

const keyOf = (st: fs.Stats) => `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
