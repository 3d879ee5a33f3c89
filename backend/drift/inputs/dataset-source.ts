// A dataset version as a drift input: the version registered on this backend (by `cairn data push`
// or `cairn run`), found by hash or git commit prefix, read from the object store by the format its
// name says. A full hash whose object is in the store works even before the version is registered
// (the local backend shares the workspace's store with `cairn data add`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatasetVersion } from '../../api/data';
import { CairnError, invalidParam } from '../../core/errors';
import type { DatasetStore } from '../../store/metadata-store';
import type { ObjectStore } from '../../store/object-store';
import { pipeline } from 'node:stream/promises';
import { CsvReader } from './csv-reader';
import { JsonlReader } from './jsonl-reader';
import { ParquetReader } from './parquet-reader';
import type { TableReader } from './table-reader';

export interface DatasetSourceDeps {
  store: Pick<DatasetStore, 'getDataset'>;
  /** A local file holding the object of this hash, or undefined when the store lacks it. */
  objectFile(hash: string): Promise<string | undefined>;
}

/**
 * Local files for objects: the file itself in a folder store, else (S3 and other remote stores)
 * a copy under `cacheDir` named by its hash (content-addressed, so a copy is never stale).
 */
export function objectFiles(objects: ObjectStore, cacheDir: string): DatasetSourceDeps['objectFile'] {
  const pathOf = (objects as { pathOf?: (h: string) => string }).pathOf?.bind(objects);
  return async (hash) => {
    if (pathOf) return fs.existsSync(pathOf(hash)) ? pathOf(hash) : undefined;
    const file = path.join(cacheDir, hash);
    if (fs.existsSync(file)) return file;
    if (!(await objects.has(hash))) return undefined;
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await pipeline(await objects.get(hash), fs.createWriteStream(tmp));
    fs.renameSync(tmp, file);
    return file;
  };
}

const FULL_HASH = /^[0-9a-f]{64}$/;
const PREFIX = /^[0-9a-f]{7,64}$/;

function readerFor(file: string, name: string, description: string): TableReader {
  const ext = path.extname(name).toLowerCase();
  const base = ext === '.parquet' ? new ParquetReader(file) : ext === '.jsonl' || ext === '.ndjson' ? new JsonlReader(file) : ext === '.csv' || ext === '.tsv' ? new CsvReader(file, ext === '.tsv' ? '\t' : ',') : undefined;
  if (!base) throw invalidParam(`Dataset '${name}' is not a table Cairn can read (.csv, .tsv, .jsonl or .parquet).`);
  return { description, textCells: base.textCells, scan: (onBatch, columns) => base.scan(onBatch, columns) };
}

async function registered(deps: DatasetSourceDeps, name: string): Promise<DatasetVersion[]> {
  try {
    return await deps.store.getDataset(name);
  } catch (err) {
    if (err instanceof CairnError && err.code === 'RESOURCE_DOES_NOT_EXIST') return [];
    throw err;
  }
}

export async function openDatasetVersion(deps: DatasetSourceDeps, name: string, version: string | undefined): Promise<TableReader> {
  if (version !== undefined && !PREFIX.test(version)) throw invalidParam(`Dataset version '${version}' must be a hash or git commit (at least 7 hex digits).`);
  const versions = await registered(deps, name);
  const matches = version === undefined ? versions.slice(0, 1) : versions.filter((v) => v.hash.startsWith(version) || v.git_commit?.startsWith(version));
  const unique = [...new Map(matches.map((v) => [v.hash, v])).values()];
  if (unique.length > 1) throw invalidParam(`Dataset version '${version}' of '${name}' is ambiguous: it matches ${unique.map((v) => v.hash.slice(0, 12)).join(', ')}.`);
  const found = unique[0];
  if (found?.kind === 'dir') throw invalidParam(`Dataset '${name}' is a folder: name one of its table files instead.`);
  const hash = found?.hash ?? (version && FULL_HASH.test(version) ? version : undefined);
  if (!hash) {
    throw invalidParam(versions.length ? `Dataset '${name}' has no version '${version}' on this backend.` : `No dataset '${name}' on this backend: register its versions with 'cairn data push'.`);
  }
  const file = await deps.objectFile(hash);
  if (!file) throw invalidParam(`Version ${hash.slice(0, 12)} of dataset '${name}' is not in this backend's store: push it with 'cairn data push ${name}'.`);
  return readerFor(file, name, `dataset:${name}@${hash.slice(0, 12)}`);
}
