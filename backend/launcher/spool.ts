import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlive } from '../core/process-alive';

/**
 * One write to the backend that has not been delivered yet.
 * - `json`: a JSON request (`body` already in wire form: non-finite numbers as "NaN"/"Infinity").
 * - `artifact`: a PUT to the artifact proxy; `artifactPath` is the full path under
 *   `/api/2.0/mlflow-artifacts/artifacts/`, the bytes are in `file`.
 */
export type SpoolOp =
  | { kind: 'json'; method: string; path: string; body: Record<string, unknown> }
  | { kind: 'artifact'; artifactPath: string; file: string };

/** Who wrote a spool and for which backend (`spool/<id>/owner.json`). */
export interface SpoolOwner {
  pid: number;
  runId?: string;
  /** The backend URL the writes were meant for. */
  url: string;
  /** True when that backend is the workspace's local server (any later local server may take them). */
  local: boolean;
  created: number;
}

/**
 * Writes that could not reach the backend, kept on disk until they can: `<workspace>/.cairn/spool/<id>/`
 * holds `owner.json`, `ops.jsonl` (one SpoolOp per line, appended and fdatasync'ed), `files/`
 * (artifact bytes; an op's `file` is relative to the spool folder) and `done` (how many ops were
 * delivered, so a replay that stops half-way resumes without repeating them). The Python SDK
 * writes the same format.
 */
export class Spool {
  private fd: number | undefined;
  private fileSeq = 0;
  private count = 0;

  private constructor(
    readonly dir: string,
    readonly owner: SpoolOwner,
  ) {}

  /** A new spool for this process (created on disk at the first append). */
  static create(spoolRoot: string, owner: Omit<SpoolOwner, 'pid' | 'created'>): Spool {
    const id = `${owner.runId ?? 'run'}-${process.pid}-${randomBytes(3).toString('hex')}`;
    return new Spool(path.join(spoolRoot, id), { ...owner, pid: process.pid, created: Date.now() });
  }

  /** Takes over a leftover spool whose writer has ended: renames it (atomic, so only one process wins). */
  static claim(dir: string): Spool | undefined {
    let owner: SpoolOwner;
    try {
      owner = JSON.parse(fs.readFileSync(path.join(dir, 'owner.json'), 'utf8')) as SpoolOwner;
    } catch {
      return undefined;
    }
    if (owner.pid !== process.pid && isAlive(owner.pid)) return undefined;
    const claimed = `${dir.replace(/-claimed-\d+-[0-9a-f]+$/, '')}-claimed-${process.pid}-${randomBytes(3).toString('hex')}`;
    try {
      fs.renameSync(dir, claimed);
    } catch {
      return undefined; // another process claimed it first
    }
    const spool = new Spool(claimed, { ...owner, pid: process.pid });
    writeAtomic(path.join(claimed, 'owner.json'), JSON.stringify(spool.owner));
    return spool;
  }

  /** Leftover spool folders under `spoolRoot`. */
  static list(spoolRoot: string): string[] {
    try {
      return fs
        .readdirSync(spoolRoot, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => path.join(spoolRoot, e.name))
        .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs);
    } catch {
      return [];
    }
  }

  get exists(): boolean {
    return fs.existsSync(path.join(this.dir, 'ops.jsonl'));
  }

  /** Ops appended by this process since it opened the spool. */
  get appended(): number {
    return this.count;
  }

  /** Appends an op durably. Artifact bytes are copied (or written) into the spool first. */
  append(op: SpoolOp | { kind: 'artifact'; artifactPath: string; data: Uint8Array }): void {
    if (this.fd === undefined) this.open();
    let stored: SpoolOp;
    if (op.kind === 'artifact') {
      const rel = `files/${String(this.fileSeq++).padStart(6, '0')}-${randomBytes(3).toString('hex')}`;
      const target = path.join(this.dir, rel);
      if ('data' in op) fs.writeFileSync(target, op.data);
      else fs.copyFileSync(op.file, target);
      fsyncFile(target);
      stored = { kind: 'artifact', artifactPath: op.artifactPath, file: rel };
    } else stored = op;
    fs.writeSync(this.fd!, JSON.stringify(stored) + '\n');
    fs.fdatasyncSync(this.fd!);
    this.count++;
  }

  /** Ops not delivered yet, from the `done` mark on. A torn last line (a crash mid-append) is skipped. */
  pending(): SpoolOp[] {
    let text: string;
    try {
      text = fs.readFileSync(path.join(this.dir, 'ops.jsonl'), 'utf8');
    } catch {
      return [];
    }
    const ops: SpoolOp[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        ops.push(JSON.parse(line) as SpoolOp);
      } catch {
        // torn
      }
    }
    return ops.slice(this.done());
  }

  /** Absolute path of an artifact op's bytes. */
  fileOf(op: Extract<SpoolOp, { kind: 'artifact' }>): string {
    return path.join(this.dir, op.file);
  }

  done(): number {
    try {
      return Number(fs.readFileSync(path.join(this.dir, 'done'), 'utf8')) || 0;
    } catch {
      return 0;
    }
  }

  markDone(n: number): void {
    writeAtomic(path.join(this.dir, 'done'), String(n));
  }

  /** Everything was delivered: the spool goes away. */
  remove(): void {
    this.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
    this.count = 0;
    this.fileSeq = 0;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): void {
    fs.mkdirSync(path.join(this.dir, 'files'), { recursive: true });
    if (!fs.existsSync(path.join(this.dir, 'owner.json'))) writeAtomic(path.join(this.dir, 'owner.json'), JSON.stringify(this.owner));
    this.fd = fs.openSync(path.join(this.dir, 'ops.jsonl'), 'a');
  }
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fsyncFile(tmp);
  fs.renameSync(tmp, file);
}
