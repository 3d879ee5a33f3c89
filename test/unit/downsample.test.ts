import assert from 'node:assert/strict';
import { it } from 'node:test';
import { downsample } from '../../backend/tracking/downsample';

const series = (values: number[], steps = values.map((_, i) => i)) => ({
  step: Float64Array.from(steps),
  timestamp: Float64Array.from(values.map((_, i) => 1000 + i)),
  value: Float64Array.from(values),
});

it('returns short series unchanged', () => {
  const d = downsample(series([3, 1, 2]), 10);
  assert.equal(d.downsampled, false);
  assert.deepEqual(Array.from(d.value), [3, 1, 2]);
});

it('keeps spikes, the first and the last point, within max_points', () => {
  const values = Array.from({ length: 1_000_000 }, (_, i) => Math.sin(i / 1000));
  values[123_457] = 50;
  values[777_777] = -50;
  const d = downsample(series(values), 1000);
  assert.equal(d.downsampled, true);
  assert.ok(d.value.length <= 1000, `${d.value.length} points`);
  assert.ok(d.value.includes(50) && d.value.includes(-50), 'both spikes survive');
  assert.equal(d.step[0], 0);
  assert.equal(d.step[d.step.length - 1], 999_999);
  for (let i = 1; i < d.step.length; i++) assert.ok(d.step[i]! >= d.step[i - 1]!, 'steps ascend');
});

it('orders by step and honours a step window', () => {
  const d = downsample(series([5, 6, 7, 8], [3, 1, 2, 0]), 100, { startStep: 1, endStep: 2 });
  assert.deepEqual(Array.from(d.step), [1, 2]);
  assert.deepEqual(Array.from(d.value), [6, 7]);
});

it('keeps a NaN-only bucket as one NaN point', () => {
  const values = Array.from({ length: 100 }, (_, i) => (i >= 40 && i < 60 ? NaN : i));
  const d = downsample(series(values), 20);
  assert.ok(Array.from(d.value).some((v) => Number.isNaN(v)));
});
