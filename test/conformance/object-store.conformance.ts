/** The behaviour every ObjectStore implementation must have (filesystem today, S3 next). */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import type { ObjectStore } from '../../backend/store/object-store';
import { rejectsWithCode } from '../helpers/tmp';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
async function bytesOf(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export function objectStoreConformance(name: string, open: () => Promise<ObjectStore>): void {
  describe(`ObjectStore conformance: ${name}`, () => {
    it('names objects by sha256 and returns their bytes', async () => {
      const s = await open();
      const data = Buffer.from('hello, cairn');
      const obj = await s.put(data);
      assert.equal(obj.hash, sha(data));
      assert.equal(obj.size, data.length);
      assert.deepEqual(await bytesOf(await s.get(obj.hash)), data);
      assert.equal(await s.has(obj.hash), true);
      assert.deepEqual(await s.stat(obj.hash), { hash: obj.hash, size: data.length });
    });

    it('streams large objects in and out, and serves ranges', async () => {
      const s = await open();
      const chunk = Buffer.alloc(1 << 20, 7);
      const parts = Array.from({ length: 12 }, (_, i) => Buffer.concat([chunk, Buffer.from([i])]));
      const all = Buffer.concat(parts);
      const obj = await s.put(Readable.from(parts));
      assert.equal(obj.hash, sha(all));
      assert.equal(obj.size, all.length);
      const range = await bytesOf(await s.get(obj.hash, { start: 10, end: 19 }));
      assert.deepEqual(range, all.subarray(10, 20));
    });

    it('stores identical content once and is idempotent', async () => {
      const s = await open();
      const a = await s.put(Buffer.from('same'));
      const b = await s.put(Buffer.from('same'));
      assert.equal(a.hash, b.hash);
      const listed = [];
      for await (const o of s.list()) if (o.hash === a.hash) listed.push(o);
      assert.equal(listed.length, 1);
    });

    it('refuses content whose hash differs from the expected one and keeps nothing', async () => {
      const s = await open();
      const wrong = 'f'.repeat(64);
      await rejectsWithCode(s.put(Buffer.from('abc'), wrong), 'INVALID_PARAMETER_VALUE');
      assert.equal(await s.has(sha(Buffer.from('abc'))), false);
    });

    it('reports missing objects and deletes', async () => {
      const s = await open();
      await rejectsWithCode(s.get('0'.repeat(64)), 'RESOURCE_DOES_NOT_EXIST');
      assert.equal(await s.stat('0'.repeat(64)), undefined);
      const o = await s.put(Buffer.from('bye'));
      await s.delete(o.hash);
      assert.equal(await s.has(o.hash), false);
      await rejectsWithCode(s.get('../../etc/passwd'), 'INVALID_PARAMETER_VALUE');
    });
  });
}
