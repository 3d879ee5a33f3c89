// objectFiles: a folder store's objects are read in place; a store without local files (S3) is
// copied once into the cache, named by hash.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { objectFiles } from '../../../backend/drift/inputs/dataset-source';
import type { ObjectStore } from '../../../backend/store/object-store';
import { tmpDir } from '../../helpers/tmp';

const dir = tmpDir();

test('objects of a store without local paths are copied once into the cache', async () => {
  const data = new Map([['a'.repeat(64), 'x,y\n1,2\n']]);
  let gets = 0;
  const remote = {
    has: async (h: string) => data.has(h),
    get: async (h: string) => (gets++, Readable.from([Buffer.from(data.get(h)!)])),
  } as unknown as ObjectStore;
  const fileOf = objectFiles(remote, path.join(dir, 'cache'));
  const f = await fileOf('a'.repeat(64));
  assert.equal(f, path.join(dir, 'cache', 'a'.repeat(64)));
  assert.equal(fs.readFileSync(f!, 'utf8'), 'x,y\n1,2\n');
  assert.equal(await fileOf('a'.repeat(64)), f);
  assert.equal(gets, 1, 'the second call uses the cached copy');
  assert.equal(await fileOf('b'.repeat(64)), undefined);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'cache')), ['a'.repeat(64)], 'no temp file left behind');
});

test('a folder store is read in place', async () => {
  const file = path.join(dir, 'obj');
  fs.writeFileSync(file, 'x\n1\n');
  const local = { pathOf: (h: string) => (h === 'c'.repeat(64) ? file : path.join(dir, 'missing')) } as unknown as ObjectStore;
  const fileOf = objectFiles(local, path.join(dir, 'unused'));
  assert.equal(await fileOf('c'.repeat(64)), file);
  assert.equal(await fileOf('d'.repeat(64)), undefined);
  assert.equal(fs.existsSync(path.join(dir, 'unused')), false);
});
