import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { decodePack, encodePack } from '../../backend/data/pack';
import { compareMetrics, compareParams } from '../../backend/reproduce/compare';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function decodeAll(chunks: Buffer[]) {
  const out = [];
  for await (const e of decodePack((async function* () {
    yield* chunks;
  })())) out.push(e);
  return out;
}

it('packs and unpacks objects whatever the chunk boundaries', async () => {
  const objects = [Buffer.from(''), Buffer.from('a'), Buffer.alloc(70_000, 3), Buffer.from('last')].map((data) => ({ hash: sha(data), data }));
  const pack = encodePack(objects);
  for (const size of [1, 7, 40, 41, 65_536, pack.length]) {
    const chunks = [];
    for (let i = 0; i < pack.length; i += size) chunks.push(pack.subarray(i, i + size));
    const back = await decodeAll(chunks);
    assert.deepEqual(back.map((e) => e.hash), objects.map((o) => o.hash), `chunk size ${size}`);
    assert.deepEqual(back.map((e) => e.data), objects.map((o) => o.data));
  }
  await assert.rejects(decodeAll([pack.subarray(0, pack.length - 1)]), /cut short/);
});

it('compares metrics bit for bit or within a tolerance, and params exactly', () => {
  const m = (key: string, value: number) => ({ key, value, timestamp: 0, step: 0 });
  const c = compareMetrics([m('acc', 0.9), m('loss', 100), m('nan', NaN), m('gone', 1)], [m('acc', 0.9), m('loss', 100.05), m('nan', NaN), m('new', 2)], 1e-3);
  assert.deepEqual(c.map((x) => [x.key, x.status]), [['acc', 'equal'], ['gone', 'missing'], ['loss', 'within'], ['nan', 'equal'], ['new', 'missing']]);
  assert.equal(compareMetrics([m('loss', 100)], [m('loss', 100.05)], 0)[0]!.status, 'differs');
  assert.deepEqual(compareParams([{ key: 'lr', value: '0.1' }, { key: 'e', value: '3' }], [{ key: 'lr', value: '0.1' }, { key: 'e', value: '4' }]), [{ key: 'e', original: '3', reproduced: '4' }]);
});
