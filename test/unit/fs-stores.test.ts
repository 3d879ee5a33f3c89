import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { FileMetricHistoryStore } from '../../backend/store/fs/file-metric-history';
import { FsObjectStore } from '../../backend/store/fs/fs-object-store';
import { metricHistoryConformance } from '../conformance/metric-history.conformance';
import { objectStoreConformance } from '../conformance/object-store.conformance';
import { tmpDir } from '../helpers/tmp';

const root = tmpDir();
let n = 0;
objectStoreConformance('filesystem', async () => new FsObjectStore(path.join(root, `objects-${n++}`), false));

const dirOf = new WeakMap<object, string>();
metricHistoryConformance('append-only files', {
  async open() {
    const dir = path.join(root, `metrics-${n++}`);
    const s = new FileMetricHistoryStore(dir, { fsync: false });
    dirOf.set(s, dir);
    return s;
  },
  async reopen(s) {
    const dir = dirOf.get(s)!;
    await s.close();
    const again = new FileMetricHistoryStore(dir, { fsync: false });
    dirOf.set(again, dir);
    return again;
  },
});

it('cuts a torn record off the end of a metric file (a crash mid-append)', async () => {
  const dir = path.join(root, 'torn');
  const s = new FileMetricHistoryStore(dir, { fsync: false });
  await s.append('abc123', [{ key: 'loss', value: 1, timestamp: 1, step: 1 }, { key: 'loss', value: 2, timestamp: 2, step: 2 }]);
  await s.close();
  const file = path.join(dir, 'ab', 'abc123.bin');
  fs.appendFileSync(file, Buffer.alloc(13, 0xff));
  const again = new FileMetricHistoryStore(dir, { fsync: false });
  assert.deepEqual(Array.from((await again.read('abc123', 'loss')).value), [1, 2]);
  await again.append('abc123', [{ key: 'loss', value: 3, timestamp: 3, step: 3 }]);
  assert.deepEqual(Array.from((await again.read('abc123', 'loss')).value), [1, 2, 3]);
  await again.close();
});

it('leaves no temp file behind when a put fails', async () => {
  const dir = path.join(root, 'objects-fail');
  const s = new FsObjectStore(dir, false);
  await assert.rejects(s.put(Buffer.from('x'), 'e'.repeat(64)));
  assert.deepEqual(fs.readdirSync(path.join(dir, 'tmp')), []);
});

it('refuses run ids that could escape the metrics folder', async () => {
  const s = new FileMetricHistoryStore(path.join(root, 'ids'), { fsync: false });
  await assert.rejects(() => s.append('../../etc', [{ key: 'a', value: 1, timestamp: 1, step: 1 }]), /Invalid run id/);
});
