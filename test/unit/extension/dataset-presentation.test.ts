import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DataLogEntry, DataStatusEntry } from '../../../backend/api/data';
import {
  badgeFor,
  datasetContextValue,
  datasetDescription,
  datasetIcon,
  datasetNodeId,
  datasetTooltip,
  decorationTargets,
  formatBytes,
  versionDescription,
  versionLabel,
  versionNodeId,
} from '../../../extension/datasets/dataset-presentation';
import { ProgressSteps } from '../../../extension/datasets/progress-steps';

const entry = (over: Partial<DataStatusEntry> = {}): DataStatusEntry => ({ path: 'data/train.csv', pointer: 'data/train.csv.cairn', kind: 'file', state: 'clean', hash: 'ab'.repeat(32), size: 2048, files: 1, rows: 1234, ...over });

test('dataset nodes: ids, context values, descriptions, icons by state', () => {
  assert.equal(datasetNodeId('data/train.csv'), '/dataset/data/train.csv');
  assert.equal(versionNodeId('data/train.csv', 'c0ffee'), '/dataset/data/train.csv@c0ffee');
  assert.equal(datasetContextValue(entry()), 'cairn:dataset+clean');
  assert.equal(datasetContextValue(entry({ state: 'missing' })), 'cairn:dataset+missing');
  assert.equal(datasetDescription(entry()), '2.0 KiB · 1,234 rows');
  assert.equal(datasetDescription(entry({ state: 'modified', not_in_store: true })), 'modified · not in local store · 2.0 KiB · 1,234 rows');
  assert.equal(datasetDescription(entry({ kind: 'dir', files: 3, rows: undefined, size: 10 })), '10 B · 3 files');
  assert.deepEqual(datasetIcon(entry()), { icon: 'database' });
  assert.deepEqual(datasetIcon(entry({ kind: 'dir' })), { icon: 'file-directory' });
  assert.equal(datasetIcon(entry({ state: 'missing' })).icon, 'warning');
  assert.equal(datasetIcon(entry({ state: 'modified' })).color, 'gitDecoration.modifiedResourceForeground');
});

test('tooltips name the state, the version and (folders) the changed files, capped', () => {
  const t = datasetTooltip(entry({ kind: 'dir', path: 'data/img', state: 'modified', changed: Array.from({ length: 12 }, (_, i) => `f${i}.png`), untracked: ['new.png'] }));
  assert.match(t, /^data\/img\/ — modified/);
  assert.match(t, /version: abababababab/);
  assert.match(t, /changed: f0\.png, .*f9\.png … \(12\)/);
  assert.match(t, /untracked: new\.png/);
  assert.doesNotMatch(datasetTooltip(entry()), /Pull/);
  assert.match(datasetTooltip(entry({ not_in_store: true })), /Pull to fetch it/);
});

test('versions: label, current marker, date and shape', () => {
  const v: DataLogEntry = { commit: '0123456789abcdef0123456789abcdef01234567', time: Date.UTC(2026, 10, 27, 8, 30), author: 'a', subject: 'more rows', pointer: { kind: 'file', hash: 'cd'.repeat(32), size: 5 * 1024 * 1024, files: 1, tabular: { format: 'csv', rows: 99, columns: [] } } };
  assert.equal(versionLabel(v), '01234567 more rows');
  assert.equal(versionDescription(v, true), '● current · 2026-11-27 08:30 · 5.0 MiB · 99 rows');
  assert.equal(versionDescription(v, false), '2026-11-27 08:30 · 5.0 MiB · 99 rows');
});

test('decoration targets: dirty datasets and the files inside dirty folders, clean ones left out', () => {
  const m = decorationTargets([
    entry(),
    entry({ path: 'data/a.csv', state: 'modified' }),
    entry({ path: 'data/b.csv', state: 'missing' }),
    entry({ path: 'data/img', kind: 'dir', state: 'modified', changed: ['x/1.png'], untracked: ['2.png'], missing: ['3.png'] }),
  ]);
  assert.deepEqual(Object.fromEntries(m), {
    'data/a.csv': 'modified',
    'data/b.csv': 'missing',
    'data/img': 'modified',
    'data/img/x/1.png': 'modified',
    'data/img/2.png': 'untracked',
    'data/img/3.png': 'missing',
  });
  assert.deepEqual([badgeFor('modified').badge, badgeFor('missing').badge, badgeFor('untracked').badge], ['M', '!', 'U']);
});

test('formatBytes and progress steps: increments add up to 100 per phase and never go back', () => {
  assert.deepEqual([formatBytes(0), formatBytes(1023), formatBytes(1536), formatBytes(20 * 1024 * 1024)], ['0 B', '1023 B', '1.5 KiB', '20 MiB']);
  const s = new ProgressSteps();
  const a = s.next({ phase: 'pushing', done: 1, total: 4, bytes: 50, totalBytes: 200 });
  assert.deepEqual(a, { message: 'pushing: 1/4 · 50 B of 200 B', increment: 25 });
  assert.equal(s.next({ phase: 'pushing', done: 1, total: 4, bytes: 40, totalBytes: 200 }).increment, 0, 'never backwards');
  assert.equal(s.next({ phase: 'pushing', done: 4, total: 4, bytes: 200, totalBytes: 200 }).increment, 75);
  const c = s.next({ phase: 'checkout', done: 1, total: 2 });
  assert.deepEqual(c, { message: 'checkout: 1/2', increment: 50 });
});
