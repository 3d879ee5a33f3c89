/** The behaviour every MetricHistoryStore implementation must have (files today, PostgreSQL next). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricHistoryStore } from '../../backend/store/metric-history';

export interface HistoryFactory {
  open(): Promise<MetricHistoryStore>;
  reopen?(store: MetricHistoryStore): Promise<MetricHistoryStore>;
}

export function metricHistoryConformance(name: string, factory: HistoryFactory): void {
  describe(`MetricHistoryStore conformance: ${name}`, () => {
    it('appends points in order per key, never overwriting', async () => {
      const s = await factory.open();
      await s.append('run1', [
        { key: 'loss', value: 1, timestamp: 10, step: 0 },
        { key: 'acc', value: 0.5, timestamp: 10, step: 0 },
        { key: 'loss', value: 0.5, timestamp: 11, step: 1 },
      ]);
      await s.append('run1', [{ key: 'loss', value: 0.5, timestamp: 11, step: 1 }]);
      const loss = await s.read('run1', 'loss');
      assert.deepEqual(Array.from(loss.value), [1, 0.5, 0.5]);
      assert.deepEqual(Array.from(loss.step), [0, 1, 1]);
      assert.deepEqual(Array.from(loss.timestamp), [10, 11, 11]);
      assert.deepEqual((await s.keys('run1')).sort(), ['acc', 'loss']);
      assert.equal((await s.read('run1', 'missing')).value.length, 0);
      assert.equal((await s.read('other', 'loss')).value.length, 0);
      await s.close();
    });

    it('keeps non-finite values and long or unicode keys', async () => {
      const s = await factory.open();
      const key = `train/${'k'.repeat(200)}/Genauigkeit-ü`;
      await s.append('run2', [
        { key, value: NaN, timestamp: 1, step: 0 },
        { key, value: Infinity, timestamp: 2, step: 1 },
        { key, value: -Infinity, timestamp: 3, step: 2 },
      ]);
      const v = (await s.read('run2', key)).value;
      assert.ok(Number.isNaN(v[0]));
      assert.equal(v[1], Infinity);
      assert.equal(v[2], -Infinity);
      await s.close();
    });

    it('serves reads that interleave with appends (incremental reads see every point)', async () => {
      const s = await factory.open();
      for (let batch = 0; batch < 20; batch++) {
        await s.append('run3', Array.from({ length: 500 }, (_, i) => ({ key: 'x', value: batch * 500 + i, timestamp: batch, step: batch * 500 + i })));
        const r = await s.read('run3', 'x');
        assert.equal(r.value.length, (batch + 1) * 500);
        assert.equal(r.value[r.value.length - 1], batch * 500 + 499);
      }
      await s.close();
    });

    it('orders concurrent appends to one run as they were issued', async () => {
      const s = await factory.open();
      await Promise.all(Array.from({ length: 50 }, (_, i) => s.append('run4', [{ key: 'c', value: i, timestamp: i, step: i }])));
      assert.deepEqual(Array.from((await s.read('run4', 'c')).value), Array.from({ length: 50 }, (_, i) => i));
      await s.close();
    });

    if (factory.reopen) {
      it('keeps histories across a reopen', async () => {
        let s = await factory.open();
        await s.append('run5', [{ key: 'k', value: 42, timestamp: 1, step: 7 }]);
        s = await factory.reopen!(s);
        await s.append('run5', [{ key: 'k2', value: 43, timestamp: 2, step: 8 }]);
        assert.deepEqual(Array.from((await s.read('run5', 'k')).value), [42]);
        assert.deepEqual(Array.from((await s.read('run5', 'k2')).value), [43]);
        await s.close();
      });
    }
  });
}
