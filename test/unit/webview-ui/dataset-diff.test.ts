import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DataDiffReport } from '../../../backend/api/data';
import { signed, statRows, summarizeDiff } from '../../../webview-ui/dataset-diff/diff-summary';

const A = '1'.repeat(40);
const B = '2'.repeat(40);

test('a table diff: title, row delta, schema changes, only the statistics that changed', () => {
  const r: DataDiffReport = {
    path: 'data/w.csv',
    a: A,
    b: B,
    hash_a: 'a'.repeat(64),
    hash_b: 'b'.repeat(64),
    identical: false,
    size_a: 100,
    size_b: 150,
    files: [
      {
        path: 'data/w.csv',
        change: 'changed',
        size_a: 100,
        size_b: 150,
        tabular: {
          rows_a: 40,
          rows_b: 55,
          rows_added: 15,
          rows_removed: 0,
          schema: [{ column: 'rain', change: 'added', to: 'number' }, { column: 'wind', change: 'type', from: 'integer', to: 'number' }],
          columns: [
            { column: 'temp', a: { name: 'temp', type: 'number', nulls: 0, min: 2, max: 18, mean: 10.123456789 }, b: { name: 'temp', type: 'number', nulls: 0, min: 2, max: 18, mean: 10.5 } },
            { column: 'date', a: { name: 'date', type: 'date', nulls: 0 }, b: { name: 'date', type: 'date', nulls: 0 } },
            { column: 'rain', b: { name: 'rain', type: 'number', nulls: 0, distinct: 4 } },
          ],
        },
      },
    ],
  };
  const s = summarizeDiff(r);
  assert.equal(s.title, 'data/w.csv: 11111111 (aaaaaaaaaaaa) → 22222222 (bbbbbbbbbbbb)');
  assert.equal(s.size, '100 → 150 bytes');
  assert.deepEqual(s.files, [], 'a single file has no file list');
  const t = s.tables[0]!;
  assert.deepEqual(t.rows, { a: 40, b: 55, delta: 15, added: 15, removed: 0 });
  assert.deepEqual(t.schema, ['added column rain', 'wind: type integer → number']);
  assert.deepEqual(
    t.stats.map((x) => [x.column, x.stat, x.a, x.b]),
    [
      ['temp', 'mean', '10.1235', '10.5'],
      ['rain', 'type', '(no column)', 'number'],
      ['rain', 'nulls', '(no column)', '0'],
      ['rain', 'distinct', '(no column)', '4'],
    ],
  );
  assert.deepEqual([signed(3), signed(-2), signed(0)], ['+3', '-2', '0']);
});

test('a folder diff lists files; identical and workspace sides read plainly', () => {
  const s = summarizeDiff({ path: 'data/img', a: 'HEAD', b: 'workspace', identical: false, files: [{ path: 'a.png', change: 'added' }, { path: 'b.png', change: 'changed', size_a: 1, size_b: 2 }, { path: 'c.png', change: 'removed' }] });
  assert.equal(s.title, 'data/img: HEAD ((absent)) → workspace ((absent))');
  assert.deepEqual(s.files, [
    { mark: '+', path: 'a.png', detail: 'added' },
    { mark: '~', path: 'b.png', detail: '1 → 2 bytes' },
    { mark: '−', path: 'c.png', detail: 'removed' },
  ]);
  assert.equal(summarizeDiff({ path: 'x', a: 'HEAD', b: 'workspace', identical: true, files: [] }).identical, true);
  assert.deepEqual(statRows('c', { name: 'c', type: 'integer', nulls: 0, distinct: 10, distinct_capped: true }, { name: 'c', type: 'integer', nulls: 0, distinct: 10 }), [{ column: 'c', stat: 'distinct', a: '>10', b: '10' }]);
});
