import type * as fs from 'node:fs';
import * as fsp from 'node:fs';
import * as path from 'node:path';

/**
 * A file's timestamps can only be trusted to reveal a later change if the file was last written
 * more than one clock tick before it was hashed: a write in the same tick could leave mtime and
 * ctime unchanged ("racy git"). Coarse kernel clocks tick every 1–10 ms.
 */
export const RACY_MS = 50;
const MAX_ENTRIES = 4_000_000;

// File layout: a magic, then fixed-size records: dev, ino, size, mtimeMs, ctimeMs, recordedAt
// (float64 LE each) and the sha256 (32 raw bytes). Loading 100,000 entries is one read and an
// index of inode → offset; nothing is decoded until it is looked up.
const MAGIC = Buffer.from('CAIRNSC1');
const RECORD = 6 * 8 + 32;

interface Entry {
  dev: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  recordedAt: number;
  hash: string;
}

/**
 * Hashes of files already hashed, keyed by inode and checked against device, size, mtime and ctime
 * (which no tool can set back), so an unchanged file is never read again — even after a rename.
 * One entry per inode: a file's newer state replaces its older one. Lives in
 * `<store>/data/stat-cache.bin`; losing it only costs re-hashing.
 */
export class StatCache {
  /** Entries still in the loaded file, by inode. */
  private readonly offsets = new Map<number, number>();
  /** Entries recorded since loading (they shadow the loaded ones). */
  private readonly fresh = new Map<number, Entry>();
  private dirty = false;
  /** False for a cache that must not stand in for reading files (`verify --workspace`). */
  trusted = true;
  private loadedBuf: Buffer | undefined;

  private constructor(
    private readonly file: string,
    private readonly read: () => Buffer,
  ) {}

  /** The cache of a store. The file is read on first use: a status that finds nothing to look up never pays for it. */
  static load(stateDir: string): StatCache {
    const file = path.join(stateDir, 'stat-cache.bin');
    return new StatCache(file, () => {
      try {
        const b = fsp.readFileSync(file);
        if (b.subarray(0, MAGIC.length).equals(MAGIC)) return b;
      } catch {
        // absent or unreadable: start empty
      }
      return Buffer.alloc(0);
    });
  }

  private get loaded(): Buffer {
    if (this.loadedBuf) return this.loadedBuf;
    const b = this.read();
    for (let off = MAGIC.length; off + RECORD <= b.length; off += RECORD) this.offsets.set(b.readDoubleLE(off + 8), off);
    return (this.loadedBuf = b);
  }

  /** A cache that starts empty and is never saved: every file gets read (`verify --workspace`). */
  static ephemeral(): StatCache {
    const c = new StatCache('', () => Buffer.alloc(0));
    c.save = () => {};
    c.trusted = false;
    return c;
  }

  /** The hash recorded for this exact file state, if any. */
  lookup(st: fs.Stats): string | undefined {
    const e = this.fresh.get(st.ino);
    if (e) return e.dev === st.dev && e.size === st.size && e.mtimeMs === st.mtimeMs && e.ctimeMs === st.ctimeMs ? e.hash : undefined;
    const b = this.loaded;
    const off = this.offsets.get(st.ino);
    if (off === undefined) return undefined;
    if (b.readDoubleLE(off) !== st.dev || b.readDoubleLE(off + 16) !== st.size || b.readDoubleLE(off + 24) !== st.mtimeMs || b.readDoubleLE(off + 32) !== st.ctimeMs) return undefined;
    return b.toString('hex', off + 48, off + RECORD);
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
    void this.loaded;
    let n = this.fresh.size;
    for (const ino of this.offsets.keys()) if (!this.fresh.has(ino)) n++;
    return n;
  }

  save(): void {
    if (!this.dirty) return;
    const loaded = this.loaded;
    const kept = [...this.offsets].filter(([ino]) => !this.fresh.has(ino));
    const total = Math.min(MAX_ENTRIES, kept.length + this.fresh.size);
    const out = Buffer.allocUnsafe(MAGIC.length + total * RECORD);
    MAGIC.copy(out, 0);
    let off = MAGIC.length;
    // Newest first, so the cap drops the oldest loaded entries.
    for (const [ino, e] of this.fresh) {
      if (off >= out.length) break;
      out.writeDoubleLE(e.dev, off);
      out.writeDoubleLE(ino, off + 8);
      out.writeDoubleLE(e.size, off + 16);
      out.writeDoubleLE(e.mtimeMs, off + 24);
      out.writeDoubleLE(e.ctimeMs, off + 32);
      out.writeDoubleLE(e.recordedAt, off + 40);
      out.write(e.hash, off + 48, 32, 'hex');
      off += RECORD;
    }
    for (const [, from] of kept) {
      if (off >= out.length) break;
      loaded.copy(out, off, from, from + RECORD);
      off += RECORD;
    }
    const tmp = `${this.file}.${process.pid}.tmp`;
    fsp.writeFileSync(tmp, out.subarray(0, off));
    fsp.renameSync(tmp, this.file);
    this.dirty = false;
  }

  private set(st: fs.Stats, hash: string, recordedAt: number): void {
    if (this.lookup(st) === hash) return;
    this.fresh.set(st.ino, { dev: st.dev, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, recordedAt, hash });
    this.dirty = true;
  }
}
