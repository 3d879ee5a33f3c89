import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { FsObjectStore } from './fs/fs-object-store';
import type { ObjectStore } from './object-store';

/**
 * A file on local disk holding the object's bytes, for engines that read files (drift, parquet):
 * the object itself in a folder store, else a copy in `cacheDir` (objects never change, so a
 * cached copy stays valid). Undefined if the store does not have the object.
 */
export async function localObjectFile(objects: ObjectStore, hash: string, cacheDir: string): Promise<string | undefined> {
  if (objects instanceof FsObjectStore) {
    const file = objects.pathOf(hash);
    return fs.existsSync(file) ? file : undefined;
  }
  const file = path.join(cacheDir, hash.slice(0, 2), hash.slice(2));
  if (fs.existsSync(file)) return file;
  if (!(await objects.has(hash))) return undefined;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await pipeline(await objects.get(hash), fs.createWriteStream(tmp));
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return file;
}
