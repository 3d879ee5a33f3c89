import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RACY_MS } from './stat-cache';
import { walkFiles, type WalkResult } from './walk';

// dev, ino, size (folders: 0), mtimeMs, ctimeMs per file or folder; -1 in the size slot never matches.
const FIELDS = 5;
const MAGIC = Buffer.from('CAIRNFI2');
// MAGIC, manifest hash (64 hex chars), startedAt (float64), file count, folder count (uint32 each);
// then the file stamps, the folder stamps, and the names: the folder's absolute path, its folders, its files.
const HEADER = MAGIC.length + 64 + 8 + 4 + 4;

/**
 * The stats of a folder's files and subfolders, taken by one scan. Anything written within a clock
 * tick of the scan ("racy git": a later same-size write could leave its timestamps unchanged) is
 * stamped so that it never matches, which sends the next status through a full scan.
 */
export class FolderStamps {
  readonly values: Float64Array;
  dirs: WalkResult['dirs'] = [];

  constructor(
    readonly count: number,
    /** Taken before the scan's first stat. */
    readonly startedAt: number,
  ) {
    this.values = new Float64Array(count * FIELDS);
  }

  set(i: number, st: fs.Stats): void {
    stamp(this.values, i * FIELDS, st, st.size, this.startedAt);
  }
}

function stamp(v: Float64Array, o: number, st: fs.Stats, size: number, startedAt: number): void {
  v[o] = st.dev;
  v[o + 1] = st.ino;
  v[o + 2] = Math.max(st.mtimeMs, st.ctimeMs) > startedAt - RACY_MS ? -1 : size;
  v[o + 3] = st.mtimeMs;
  v[o + 4] = st.ctimeMs;
}

const matches = (v: Float64Array, o: number, st: fs.Stats, size: number) => v[o + 2] === size && v[o + 3] === st.mtimeMs && v[o + 4] === st.ctimeMs && v[o + 1] === st.ino && v[o] === st.dev;

/**
 * What git's index is for `git status`: a tracked folder's file list and every file's stat at a
 * moment its manifest hashed to `hash`. A folder whose files still have the same paths and stats
 * (ctime included, which no tool can set back) still hashes to `hash`, so `cairn data status`
 * answers "clean" without looking anything up, re-encoding the manifest or loading the stat cache.
 * Like git's untracked cache, a subfolder whose own stat is unchanged still has the same entries
 * (creating, deleting or renaming an entry updates its mtime and ctime), so it is not listed again.
 * One binary file per folder in `<store>/data/folders/`; losing it only costs a full scan.
 */
export class FolderIndex {
  private constructor(
    private readonly files: string[],
    private readonly dirs: string[],
    private readonly values: Float64Array,
  ) {}

  /** The index of `absDir`, if it has one for a folder that hashed to `hash`. */
  static load(stateDir: string, absDir: string, hash: string): FolderIndex | undefined {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(fileOf(stateDir, absDir));
    } catch {
      return undefined;
    }
    if (buf.length < HEADER || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    if (buf.toString('latin1', MAGIC.length, MAGIC.length + 64) !== hash) return undefined;
    const fileCount = buf.readUInt32LE(MAGIC.length + 72);
    const dirCount = buf.readUInt32LE(MAGIC.length + 76);
    const valuesEnd = HEADER + (fileCount + dirCount) * FIELDS * 8;
    if (buf.length < valuesEnd) return undefined;
    const names = buf.toString('utf8', valuesEnd).split('\0');
    if (names[0] !== absDir || names.length !== 1 + dirCount + fileCount) return undefined;
    const values = new Float64Array((fileCount + dirCount) * FIELDS);
    Buffer.from(values.buffer).set(buf.subarray(HEADER, valuesEnd));
    return new FolderIndex(names.slice(1 + dirCount), names.slice(1, 1 + dirCount), values);
  }

  /** Records that the folder `absDir`, as stamped (folders included), hashes to `hash`. */
  static save(stateDir: string, absDir: string, hash: string, files: readonly string[], stamps: FolderStamps): void {
    if (files.length !== stamps.count) throw new Error('folder index: one stamp per file');
    const dirValues = new Float64Array(stamps.dirs.length * FIELDS);
    stamps.dirs.forEach((d, i) => stamp(dirValues, i * FIELDS, d.st, 0, stamps.startedAt));
    const head = Buffer.alloc(HEADER);
    MAGIC.copy(head, 0);
    head.write(hash, MAGIC.length, 64, 'latin1');
    head.writeDoubleLE(stamps.startedAt, MAGIC.length + 64);
    head.writeUInt32LE(stamps.count, MAGIC.length + 72);
    head.writeUInt32LE(stamps.dirs.length, MAGIC.length + 76);
    const names = Buffer.from([absDir, ...stamps.dirs.map((d) => d.path), ...files].join('\0'), 'utf8');
    const file = fileOf(stateDir, absDir);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.concat([head, bytesOf(stamps.values), bytesOf(dirValues), names]));
    fs.renameSync(tmp, file);
  }

  /** True if `absDir` holds exactly the indexed regular files, each with its indexed stat. */
  unchanged(absDir: string): boolean {
    const v = this.values;
    const n = this.files.length;
    if (!this.sameListing(absDir)) return false;
    for (let i = 0, o = 0; i < n; i++, o += FIELDS) {
      const st = fs.lstatSync(`${absDir}/${this.files[i]}`, { throwIfNoEntry: false });
      if (!st?.isFile() || !matches(v, o, st, st.size)) return false;
    }
    return true;
  }

  /** The same file list: every folder's stat unchanged, else a walk that lists the same files. */
  private sameListing(absDir: string): boolean {
    const v = this.values;
    let o = this.files.length * FIELDS;
    let same = this.dirs.length > 0;
    for (const d of this.dirs) {
      const st = fs.lstatSync(d === '' ? absDir : `${absDir}/${d}`, { throwIfNoEntry: false });
      if (!st?.isDirectory() || !matches(v, o, st, 0)) {
        same = false;
        break;
      }
      o += FIELDS;
    }
    if (same) return true;
    let files: string[];
    try {
      files = walkFiles(absDir).files;
    } catch {
      return false; // gone, no longer a folder, unreadable: the full scan says what it is
    }
    if (files.length !== this.files.length) return false;
    for (let i = 0; i < files.length; i++) if (files[i] !== this.files[i]) return false;
    return true;
  }
}

const bytesOf = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

// Keyed by absolute path: the worktrees of a repository share one store but not their files.
const fileOf = (stateDir: string, absDir: string) => path.join(stateDir, 'folders', createHash('sha256').update(absDir).digest('hex').slice(0, 32));
