import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignSeries, decodeSeries } from '../../../webview-ui/charts/series';
import { smooth } from '../../../webview-ui/charts/smoothing';
import { axisFor, axisPosition, paramsDiff } from '../../../webview-ui/compare/params-diff';
import { parseCsvPreview } from '../../../webview-ui/run-detail/csv-preview';
import { parseRoute, routeHref } from '../../../webview-ui/app/routes';
import { fakeRun } from '../extension/fake-run';

test('smoothing: weight 0 is identity; a constant stays constant (debiased); gaps pass through', () => {
  assert.deepEqual(smooth([1, 2, 3], 0), [1, 2, 3]);
  assert.deepEqual(smooth([5, 5, 5], 0.9).map((v) => Number(v!.toFixed(9))), [5, 5, 5]);
  const s = smooth([0, 10, null, 10], 0.5);
  assert.equal(s[2], null);
  assert.ok(s[3]! > s[1]!, 'keeps averaging after the gap');
});

test('series decode non-finite values as gaps and align on the union of steps', () => {
  const s = decodeSeries({ run_id: 'r', key: 'k', total_points: 3, downsampled: false, step: [0, 1, 2], timestamp: [0, 0, 0], value: [1, 'NaN', 'Infinity'] });
  assert.deepEqual(s.values, [1, null, null]);
  assert.deepEqual(alignSeries([{ steps: [0, 2], values: [1, 3] }, { steps: [1, 2], values: [10, 30] }]), { x: [0, 1, 2], ys: [[1, null, 3], [null, 10, 30]] });
});

test('params diff marks differing keys; axes are numeric or categorical', () => {
  const d = paramsDiff([fakeRun({ params: { lr: '0.1', seed: '1' } }), fakeRun({ params: { lr: '0.2', seed: '1', extra: 'x' } })]);
  assert.deepEqual(d.map((r) => [r.key, r.differs]), [['extra', true], ['lr', true], ['seed', false]]);
  const num = axisFor('lr', ['0.1', '0.3', undefined]);
  assert.deepEqual(num, { key: 'lr', kind: 'number', min: 0.1, max: 0.3 });
  assert.equal(axisPosition(num, '0.2')?.toFixed(2), '0.50');
  const cat = axisFor('opt', ['sgd', 'adam']);
  assert.deepEqual(cat, { key: 'opt', kind: 'category', values: ['adam', 'sgd'] });
  assert.equal(axisPosition(cat, 'sgd'), 1);
  assert.equal(axisPosition(cat, undefined), undefined);
});

test('CSV preview handles quotes, embedded separators and newlines, and caps rows', () => {
  const { header, rows, more } = parseCsvPreview('a,b\n1,"x, ""y"""\n2,"multi\nline"\n3,z\n', ',', 2);
  assert.deepEqual(header, ['a', 'b']);
  assert.deepEqual(rows, [['1', 'x, "y"'], ['2', 'multi\nline']]);
  assert.equal(more, true);
});

test('dashboard routes round-trip', () => {
  for (const r of [{ view: 'runs' as const }, { view: 'runs' as const, experimentIds: ['1', '2'] }, { view: 'run' as const, runId: 'abc', tab: 'logs' }, { view: 'compare' as const, runIds: ['a', 'b', 'c'] }]) {
    assert.deepEqual(JSON.parse(JSON.stringify(parseRoute(routeHref(r)))), r);
  }
  assert.deepEqual(parseRoute(''), { view: 'runs', experimentIds: undefined });
});
