import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnDriftResult } from '../../../backend/api/drift';
import { bannerOf, formatScore, histogramSeries, orderedColumns, sideSeries } from '../../../webview-ui/drift-report/drift-layout';

test('banner: share as a percentage with counts, and the verdict against the threshold', () => {
  const b = bannerOf({ dataset_drift: true, drift_share: 0.5, number_of_columns: 3, number_of_drifted_columns: 2, share_of_drifted_columns: 2 / 3 });
  assert.deepEqual(b, { drifted: true, headline: 'Drift is detected for 66.67% of columns (2 out of 3).', detail: 'Dataset drift is detected. Dataset drift detection threshold is 0.5.' });
  assert.equal(bannerOf({ dataset_drift: false, drift_share: 0.3, number_of_columns: 4, number_of_drifted_columns: 0, share_of_drifted_columns: 0 }).detail, 'Dataset drift is NOT detected. Dataset drift detection threshold is 0.3.');
});

test('columns: drifted first, then by name', () => {
  const col = (column: string, drift_detected: boolean) => ({ column, drift_detected }) as ColumnDriftResult;
  assert.deepEqual(orderedColumns([col('b', false), col('z', true), col('a', false), col('c', true)]).map((c) => c.column), ['c', 'z', 'a', 'b']);
});

test('scores: six significant digits, tiny p-values as exponents', () => {
  assert.equal(formatScore(0.123456789), '0.123457');
  assert.equal(formatScore(0.05), '0.05');
  assert.equal(formatScore(3.3346e-238), '3.33e-238');
  assert.equal(formatScore(0), '0');
});

test('numerical histograms with different bin edges overlay as steps on the union of edges', () => {
  const s = histogramSeries({ column_type: 'num', histogram: { reference: { x: [0, 1, 2], y: [0.25, 0.75] }, current: { x: [1, 2, 3], y: [0.5, 0.5] } } });
  assert.equal(s.kind, 'num');
  assert.deepEqual(s.x, [0, 1, 2, 3]);
  assert.deepEqual(s.reference, [0.25, 0.75, 0, 0]);
  assert.deepEqual(s.current, [0, 0.5, 0.5, 0]);
});

test('categorical counts become shares over the union of categories', () => {
  const s = histogramSeries({ column_type: 'cat', histogram: { reference: { x: ['a', 'b'], y: [30, 10] }, current: { x: ['b', 'c'], y: [5, 15] } } });
  assert.deepEqual(s.labels, ['a', 'b', 'c']);
  assert.deepEqual(s.x, [0, 1, 2]);
  assert.deepEqual(s.reference, [0.75, 0.25, 0]);
  assert.deepEqual(s.current, [0, 0.25, 0.75]);
  assert.deepEqual(sideSeries(s, 'current').reference, [null, null, null]);
  assert.deepEqual(sideSeries(s, 'reference').reference, [0.75, 0.25, 0]);
});

test('dashboard route of a drift report round-trips', async () => {
  const { parseRoute, routeHref } = await import('../../../webview-ui/app/routes');
  const { panelKey } = await import('../../../webview-ui/protocol/panels');
  assert.equal(routeHref({ view: 'drift', reportId: 'r 1' }), '#/drift/r%201');
  assert.deepEqual(parseRoute('#/drift/r%201'), { view: 'drift', reportId: 'r 1' });
  assert.equal(panelKey({ panel: 'drift-report', state: { reportId: 'abc' } }), 'drift:abc');
});
