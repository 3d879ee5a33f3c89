import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnDiffers, discoverColumns, insertionIndex, sortRows, type Column } from '../../../webview-ui/runs-table/columns';
import { patchMetrics, toRow, type RunRow } from '../../../webview-ui/runs-table/run-row';
import { fakeRun } from '../extension/fake-run';

const rows = (): RunRow[] => [
  toRow(fakeRun({ id: 'a', name: 'a', start: 1, params: { lr: '0.1', seed: '1' }, metrics: { loss: 0.3 } })),
  toRow(fakeRun({ id: 'b', name: 'b', start: 2, params: { lr: '0.01', seed: '1' }, metrics: { loss: 0.1 } })),
  toRow(fakeRun({ id: 'c', name: 'c', start: 3, params: { lr: 'auto', seed: '1' } })),
];
const col = (cols: Column[], id: string) => cols.find((c) => c.id === id)!;

test('columns: fixed, then params and metrics sorted by key', () => {
  assert.deepEqual(discoverColumns(rows()).map((c) => c.id), ['name', 'status', 'start', 'duration', 'commit', 'params.lr', 'params.seed', 'metrics.loss']);
});

test('sorting: numbers numerically, text after numbers, missing last in both directions', () => {
  const cols = discoverColumns(rows());
  assert.deepEqual(sortRows(rows(), col(cols, 'metrics.loss'), 'asc').map((r) => r.id), ['b', 'a', 'c']);
  assert.deepEqual(sortRows(rows(), col(cols, 'metrics.loss'), 'desc').map((r) => r.id), ['a', 'b', 'c']);
  assert.deepEqual(sortRows(rows(), col(cols, 'params.lr'), 'asc').map((r) => r.id), ['b', 'a', 'c']);
  assert.deepEqual(sortRows(rows(), col(cols, 'start'), 'desc').map((r) => r.id), ['c', 'b', 'a']);
});

test('only columns that differ: constant params drop out, fixed columns stay', () => {
  const r = rows();
  const cols = discoverColumns(r);
  assert.deepEqual(cols.filter((c) => columnDiffers(c, r)).map((c) => c.id), ['name', 'status', 'start', 'duration', 'commit', 'params.lr', 'metrics.loss']);
});

test('insertion keeps the order; metric patches report change', () => {
  const cols = discoverColumns(rows());
  const sorted = sortRows(rows(), col(cols, 'metrics.loss'), 'asc');
  const mid = toRow(fakeRun({ id: 'm', start: 9, metrics: { loss: 0.2 } }));
  assert.equal(insertionIndex(sorted, mid, col(cols, 'metrics.loss'), 'asc'), 1);
  const row = sorted[0]!;
  assert.equal(patchMetrics(row, [{ key: 'loss', value: 0.1 }]), false);
  assert.equal(patchMetrics(row, [{ key: 'loss', value: 'Infinity' }]), true);
  assert.equal(row.metrics['loss'], Infinity);
});

test('toRow reads name, commit and star from tags', () => {
  const r = toRow(fakeRun({ name: '', id: 'abcdefghij', tags: { 'mlflow.runName': 'tagged', 'mlflow.source.git.commit': 'c0ffee', 'cairn.starred': 'true' } }));
  assert.equal(r.name, 'tagged');
  assert.equal(r.commit, 'c0ffee');
  assert.equal(r.starred, true);
});
