// The run cache: for each stage key, the outputs it produced, kept content-addressed under
// .cairn/run-cache so that re-running a stage with inputs seen before restores instead of executing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filesOf, sha256 } from './fingerprint';

interface Entry {
  outs: Record<string, { files: Record<string, string> }>;
}

export class RunCache {
  constructor(private readonly dir: string) {}

  private objectPath(hash: string): string {
    return path.join(this.dir, 'objects', hash.slice(0, 2), hash.slice(2));
  }

  private entryPath(key: string): string {
    return path.join(this.dir, 'entries', `${key}.json`);
  }

  has(key: string): boolean {
    return fs.existsSync(this.entryPath(key));
  }

  /** Stores the stage's outs (files and folders) under its key. */
  save(key: string, workspace: string, outs: string[]): void {
    const entry: Entry = { outs: {} };
    for (const out of outs) {
      const abs = path.join(workspace, out);
      if (!fs.existsSync(abs)) continue;
      const files: Record<string, string> = {};
      for (const rel of filesOf(abs)) {
        const data = fs.readFileSync(rel ? path.join(abs, rel) : abs);
        const hash = sha256(data);
        const obj = this.objectPath(hash);
        if (!fs.existsSync(obj)) {
          fs.mkdirSync(path.dirname(obj), { recursive: true });
          const tmp = `${obj}.${process.pid}.tmp`;
          fs.writeFileSync(tmp, data);
          fs.renameSync(tmp, obj);
        }
        files[rel] = hash;
      }
      entry.outs[out] = { files };
    }
    const file = this.entryPath(key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(entry));
    fs.renameSync(`${file}.tmp`, file);
  }

  /** Writes the cached outs back into the workspace; false if anything is missing from the cache. */
  restore(key: string, workspace: string): boolean {
    const entry = JSON.parse(fs.readFileSync(this.entryPath(key), 'utf8')) as Entry;
    for (const { files } of Object.values(entry.outs)) for (const hash of Object.values(files)) if (!fs.existsSync(this.objectPath(hash))) return false;
    for (const [out, { files }] of Object.entries(entry.outs)) {
      const abs = path.join(workspace, out);
      fs.rmSync(abs, { recursive: true, force: true });
      for (const [rel, hash] of Object.entries(files)) {
        const target = rel ? path.join(abs, rel) : abs;
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(this.objectPath(hash), target);
      }
    }
    return true;
  }
}
