import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { it } from 'node:test';
import { S3ObjectStore } from '../../backend/store/s3/s3-object-store';
import { parseS3Url, s3ClientFromEnv } from '../../backend/store/s3/s3-location';
import { objectStoreConformance } from '../conformance/object-store.conformance';
import { S3_BUCKET, s3TestServer } from '../helpers/s3';

const s3 = s3TestServer();
let n = 0;
const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-spool-'));
// 5 MiB parts (S3's minimum), so the conformance suite's 12 MiB object goes through multipart.
const open = async (prefix = `conf-${n++}`) =>
  new S3ObjectStore({ client: s3ClientFromEnv(await s3.ready()), ...parseS3Url(`s3://${S3_BUCKET}/${prefix}`), partSize: 5 * 1024 * 1024, spoolDir });

objectStoreConformance('S3 (s3rver)', () => open());

const big = () => Buffer.concat(Array.from({ length: 11 }, (_, i) => Buffer.alloc(1024 * 1024, i + 1)));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

it('uploads a large object with a known hash straight into a multipart upload, and aborts it on a mismatch', async () => {
  const s = await open('known');
  const data = big();
  const ok = await s.put(Readable.from([data.subarray(0, 3_000_000), data.subarray(3_000_000)]), sha(data));
  assert.equal(ok.hash, sha(data));
  assert.equal((await s.stat(ok.hash))?.size, data.length);
  const other = Buffer.concat([data, Buffer.from('x')]);
  await assert.rejects(s.put(Readable.from([other]), 'a'.repeat(64)), /hash mismatch/);
  assert.equal(await s.has('a'.repeat(64)), false, 'the upload was never completed');
  assert.equal(await s.has(sha(other)), false);
});

it('leaves no spool file behind and lists only objects under its prefix', async () => {
  const a = await open('prefix-a');
  const b = await open('prefix-b');
  const obj = await a.put(Readable.from([big()]));
  await b.put(Buffer.from('only in b'));
  assert.deepEqual(fs.readdirSync(spoolDir), []);
  const listed = [];
  for await (const o of a.list()) listed.push(o.hash);
  assert.deepEqual(listed, [obj.hash]);
});

it('parses s3:// locations and refuses malformed ones', () => {
  assert.deepEqual(parseS3Url('s3://bucket/a/b/'), { bucket: 'bucket', prefix: 'a/b' });
  assert.deepEqual(parseS3Url('s3://bucket'), { bucket: 'bucket', prefix: '' });
  assert.throws(() => parseS3Url('s3://B/x'), /Invalid S3 location/);
  assert.throws(() => parseS3Url('http://bucket/x'), /Invalid S3 location/);
});
