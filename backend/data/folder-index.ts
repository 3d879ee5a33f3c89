import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RACY_MS } from './stat-cache';
import { walkFiles } from './walk';

// dev, ino, size, mtimeMs, ctimeMs per file.
const FIELDS = 5;
const MAGIC = Buffer.from('CAIRNFI1');
// MAGIC, manifest hash (64 hex chars), sha256 of the file list (32 bytes), startedAt (float64),
// file count (uint32), padding to 8; then the stamps; then the folder's absolute path.
const HEADER = MAGIC.length + 64 + 32 + 8 + 8;

/**
 * The stats of a folder's files, taken by one scan. A file written within a clock tick of the scan
 * ("racy git": a later same-size write could leave its timestamps unchanged) is stamped so that it
 * never matches, which sends the next status through a full scan.
 */
export class FolderStamps {
  readonly values: Float64Array;

  constructor(
    readonly count: number,
    /** Taken before the scan's first stat. */
    readonly startedAt: number,
  ) {
    this.values = new Float64Array(count * FIELDS);
  }

  set(i: number, st: fs.Stats): void {
    const o = i * FIELDS;
    const v = this.values;
    v[o] = st.dev;
    v[o + 1] = st.ino;
    v[o + 2] = Math.max(st.mtimeMs, st.ctimeMs) > this.startedAt - RACY_MS ? -1 : st.size;
    v[o + 3] = st.mtimeMs;
    v[o + 4] = st.ctimeMs;
  }
}

/**
 * What git's index is for `git status`: a digest of a tracked folder's file list and every file's stat at a
 * moment its manifest hashed to `hash`. A folder whose walk finds the same paths with the same
 * stats (ctime included, which no tool can set back) still hashes to `hash`, so `cairn data status`
 * answers "clean" without looking anything up, re-encoding the manifest or loading the stat cache.
 * One small binary file per folder in `<store>/data/folders/`; losing it only costs a full scan.
 */
export class FolderIndex {
  private constructor(
    private readonly listDigest: Buffer,
    private readonly count: number,
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
    const count = buf.readUInt32LE(MAGIC.length + 104);
    const valuesEnd = HEADER + count * FIELDS * 8;
    if (buf.length < valuesEnd || buf.toString('utf8', valuesEnd) !== absDir) return undefined;
    const values = new Float64Array(count * FIELDS);
    Buffer.from(values.buffer).set(buf.subarray(HEADER, valuesEnd));
    return new FolderIndex(buf.subarray(MAGIC.length + 64, MAGIC.length + 96), count, values);
  }

  /** Records that the folder `absDir`, as stamped, hashes to `hash`. */
  static save(stateDir: string, absDir: string, hash: string, paths: readonly string[], stamps: FolderStamps): void {
    if (paths.length !== stamps.count) throw new Error('folder index: one stamp per path');
    const head = Buffer.alloc(HEADER);
    MAGIC.copy(head, 0);
    head.write(hash, MAGIC.length, 64, 'latin1');
    digestOf(paths).copy(head, MAGIC.length + 64);
    head.writeDoubleLE(stamps.startedAt, MAGIC.length + 96);
    head.writeUInt32LE(stamps.count, MAGIC.length + 104);
    const values = Buffer.from(stamps.values.buffer, stamps.values.byteOffset, stamps.values.byteLength);
    const names = Buffer.from(absDir, 'utf8');
    const file = fileOf(stateDir, absDir);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.concat([head, values, names]));
    fs.renameSync(tmp, file);
  }

  /** True if `absDir` holds exactly the indexed regular files, each with its indexed stat. */
  unchanged(absDir: string): boolean {
    let files: string[];
    try {
      files = walkFiles(absDir).files;
    } catch {
      return false; // gone, no longer a folder, unreadable: the full scan says what it is
    }
    const n = this.count;
    if (files.length !== n || !digestOf(files).equals(this.listDigest)) return false;
    const v = this.values;
    for (let i = 0, o = 0; i < n; i++, o += FIELDS) {
      const st = fs.lstatSync(`${absDir}/${files[i]}`, { throwIfNoEntry: false });
      if (!st?.isFile() || v[o + 2] !== st.size || v[o + 3] !== st.mtimeMs || v[o + 4] !== st.ctimeMs || v[o + 1] !== st.ino || v[o] !== st.dev) return false;
    }
    return true;
  }
}

// The walk lists files in a fixed order, so equal lists have equal digests.
const digestOf = (paths: readonly string[]) => createHash('sha256').update(paths.join('\0')).digest();

// Keyed by absolute path: the worktrees of a repository share one store but not their files.
const fileOf = (stateDir: string, absDir: string) => path.join(stateDir, 'folders', createHash('sha256').update(absDir).digest('hex').slice(0, 32));
