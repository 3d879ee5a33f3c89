import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Batcher } from '../../backend/serving/batcher';
import type { Tensor } from '../../backend/serving/tensor';
import { ModelInputError } from '../../backend/serving/runtimes/model-runtime';

const t = (rows: number[][]): Tensor[] => [{ name: 'x', datatype: 'FP32', shape: [rows.length, rows[0]!.length], data: rows.flat() }];

/** A fake model that doubles its input and records the batch sizes it saw, taking `ms` per call. */
function doubler(ms = 5) {
  const batches: number[] = [];
  const predict = async (inputs: Tensor[]) => {
    batches.push(inputs[0]!.shape[0]!);
    if ((inputs[0]!.data as number[]).some((v) => v < 0)) throw new ModelInputError('negative input');
    await new Promise((r) => setTimeout(r, ms));
    return [{ ...inputs[0]!, name: 'y', data: (inputs[0]!.data as number[]).map((v) => v * 2) }];
  };
  return { batches, predict };
}

describe('adaptive batcher', () => {
  it('groups requests queued while the model is busy, up to max_batch_size rows, and gives each its own rows', async () => {
    const m = doubler();
    const b = new Batcher(m.predict, { enabled: true, max_batch_size: 8, max_delay_ms: 0, max_queue: 100 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => b.submit(t([[i, i + 0.5]]))));
    results.forEach((r, i) => assert.deepEqual(r.outputs[0]!.data, [2 * i, 2 * i + 1]));
    assert.equal(m.batches[0], 1, 'the first request does not wait');
    assert.ok(Math.max(...m.batches) <= 8);
    assert.ok(m.batches.length < 20, `batched: ${m.batches.join(',')}`);
    assert.equal(m.batches.reduce((a, x) => a + x, 0), 20);
  });

  it('holds a lone request up to max_delay_ms for company', async () => {
    const m = doubler(1);
    const b = new Batcher(m.predict, { enabled: true, max_batch_size: 4, max_delay_ms: 30, max_queue: 100 });
    const a = b.submit(t([[1]]));
    await new Promise((r) => setTimeout(r, 5));
    const c = b.submit(t([[2]]));
    await Promise.all([a, c]);
    assert.deepEqual(m.batches, [2]);
  });

  it('keeps multi-row requests whole and never mixes incompatible shapes', async () => {
    const m = doubler();
    const b = new Batcher(m.predict, { enabled: true, max_batch_size: 5, max_delay_ms: 0, max_queue: 100 });
    const [r1, r2, r3] = await Promise.all([b.submit(t([[1]])), b.submit(t([[1, 2], [3, 4], [5, 6]].map((r) => r.slice(0, 1)))), b.submit(t([[7, 8]]))]);
    assert.deepEqual(r1.outputs[0]!.shape, [1, 1]);
    assert.deepEqual(r2.outputs[0]!.data, [2, 6, 10]);
    assert.deepEqual(r3.outputs[0]!.data, [14, 16]);
  });

  it('with batching off, calls the model once per request', async () => {
    const m = doubler(1);
    const b = new Batcher(m.predict, { enabled: false, max_batch_size: 8, max_delay_ms: 0, max_queue: 100 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => b.submit(t([[i]]))));
    assert.deepEqual(m.batches, [1, 1, 1, 1, 1, 1]);
  });

  it("retries a failed batch request by request, so one bad input does not fail its batch-mates", async () => {
    const m = doubler();
    const b = new Batcher(m.predict, { enabled: true, max_batch_size: 8, max_delay_ms: 0, max_queue: 100 });
    const first = b.submit(t([[1]]));
    const outcomes = await Promise.allSettled([first, b.submit(t([[2]])), b.submit(t([[-1]])), b.submit(t([[3]]))]);
    assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  });

  it('refuses with 503 when the queue is full, and reports when it has drained', async () => {
    const m = doubler(20);
    const b = new Batcher(m.predict, { enabled: true, max_batch_size: 1, max_delay_ms: 0, max_queue: 2 });
    const ok = [b.submit(t([[1]])), b.submit(t([[2]])), b.submit(t([[3]]))];
    await assert.rejects(b.submit(t([[4]])), (e: Error & { status?: number }) => e.status === 503);
    await b.drained();
    assert.equal(b.queued + b.running, 0);
    await Promise.all(ok);
  });
});
