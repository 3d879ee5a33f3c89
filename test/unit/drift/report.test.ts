// The drift report end to end on real files: Evidently's default-test boundaries, typing, errors,
// formats, and the sketch path for large inputs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { DriftRequest } from '../../../backend/api/drift';
import { driftReport } from '../../../backend/drift/dataset-drift';
import { fileReader } from '../../../backend/drift/sources';
import { rejectsWithCode, tmpDir } from '../../helpers/tmp';

const dir = tmpDir();
let fileNo = 0;

function csv(header: string[], rows: (string | number)[][]): string {
  const p = path.join(dir, `t${fileNo++}.csv`);
  fs.writeFileSync(p, [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
  return p;
}

function column(name: string, values: (string | number)[]): string {
  return csv([name], values.map((v) => [v]));
}

async function report(ref: string, cur: string, req: Partial<DriftRequest> = {}) {
  return driftReport({ reference: { path: ref }, current: { path: cur }, ...req }, { reference: fileReader(ref), current: fileReader(cur) });
}

const seq = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

test('default test: 1000 reference rows → ks, 1001 → wasserstein (6 distinct values)', async () => {
  const small = await report(column('x', seq(1000, (i) => (i % 6) + 0.5)), column('x', seq(300, (i) => (i % 6) + 0.5)));
  assert.equal(small.columns[0]!.stattest, 'ks');
  const large = await report(column('x', seq(1001, (i) => (i % 6) + 0.5)), column('x', seq(300, (i) => (i % 6) + 0.5)));
  assert.equal(large.columns[0]!.stattest, 'wasserstein');
  assert.equal(large.columns[0]!.column_type, 'num');
});

test('default test for few distinct values: 5 → jensenshannon (large), 3 → chisquare, 2 → z (small)', async () => {
  const five = await report(column('x', seq(1001, (i) => (i % 5) + 0.5)), column('x', seq(200, (i) => (i % 5) + 0.5)));
  assert.equal(five.columns[0]!.stattest, 'jensenshannon');
  const three = await report(column('x', seq(500, (i) => (i % 3) + 0.5)), column('x', seq(200, (i) => (i % 3) + 0.5)));
  assert.equal(three.columns[0]!.stattest, 'chisquare');
  const two = await report(column('x', seq(500, (i) => (i % 2) + 0.5)), column('x', seq(200, (i) => (i % 2) + 0.5)));
  assert.equal(two.columns[0]!.stattest, 'z');
  const cat = await report(column('c', seq(5000, (i) => (i % 2 ? 'a' : 'b'))), column('c', seq(100, (i) => (i % 3 ? 'a' : 'b'))));
  assert.equal(cat.columns[0]!.stattest, 'jensenshannon');
  assert.equal(cat.columns[0]!.column_type, 'cat');
});

test('integer columns with at most 5 distinct values are categorical, 6 are numerical', async () => {
  const five = await report(column('k', seq(100, (i) => i % 5)), column('k', seq(100, (i) => i % 5)));
  assert.equal(five.columns[0]!.column_type, 'cat');
  const six = await report(column('k', seq(100, (i) => i % 6)), column('k', seq(100, (i) => i % 6)));
  assert.equal(six.columns[0]!.column_type, 'num');
  // Evidently vectors 14/15: [1,2,3] vs itself → chisquare p 1; vs [5,8,3] → p 0 (unseen categories)
  const same = await report(column('k', [1, 2, 3]), column('k', [1, 2, 3]));
  assert.deepEqual([same.columns[0]!.stattest, same.columns[0]!.drift_score, same.columns[0]!.drift_detected], ['chisquare', 1, false]);
  const unseen = await report(column('k', [1, 2, 3]), column('k', [5, 8, 3]));
  assert.deepEqual([unseen.columns[0]!.drift_score, unseen.columns[0]!.drift_detected], [0, true]);
});

test('a numeric column declared categorical keeps numeric categories (as pandas does)', async () => {
  const r = await report(column('k', seq(300, (i) => (i % 12) + 1)), column('k', seq(300, (i) => ((i * 5) % 12) + 1)), { categorical_columns: ['k'] });
  assert.equal(r.columns[0]!.column_type, 'cat');
  assert.deepEqual(r.columns[0]!.histogram.reference.x.slice(0, 4), [1, 10, 11, 12]); // sorted by str(), values stay numbers
});

test('NaN and inf are dropped before testing; a missing value makes an int column float', async () => {
  const r = await report(column('x', [1, 2, 'NaN', 'inf', 3, '', 4, 5, 6]), column('x', [1, 2, 3, '-inf', 4, 5, 6]));
  const c = r.columns[0]!;
  assert.equal(c.column_type, 'num');
  assert.equal(c.reference.count, 6);
  assert.equal(c.reference.missing, 3);
  assert.equal(c.current.missing, 1);
});

test('dataset drift is share of drifted columns >= drift_share', async () => {
  const ref = csv(['a', 'b', 'c'], seq(300, (i) => i).map((i) => [i % 17, (i * 7) % 23, ['x', 'y', 'z'][i % 3]!]));
  const cur = csv(['a', 'b', 'c'], seq(300, (i) => i).map((i) => [(i % 17) + 9, (i * 7) % 23, ['x', 'y', 'z'][i % 3]!]));
  const r = await report(ref, cur);
  assert.equal(r.number_of_columns, 3);
  assert.equal(r.number_of_drifted_columns, 1);
  assert.equal(r.dataset_drift, false);
  const low = await report(ref, cur, { drift_share: 1 / 3 });
  assert.equal(low.dataset_drift, true);
});

test('method and threshold overrides follow Evidently precedence', async () => {
  const ref = csv(['a', 'c'], seq(200, (i): (string | number)[] => [i % 13, ['x', 'y', 'z'][i % 3]!]));
  const cur = csv(['a', 'c'], seq(200, (i): (string | number)[] => [(i % 13) + 1, ['x', 'y', 'z'][(i * 2) % 3]!]));
  const r = await report(ref, cur, { num_method: 'psi', cat_method: 'hellinger', threshold: 0.2, per_column_threshold: { c: 0.05 } });
  assert.deepEqual(r.columns.map((c) => [c.stattest, c.threshold]), [['psi', 0.2], ['hellinger', 0.05]]);
  await rejectsWithCode(report(ref, cur, { method: 'ks' }), 'INVALID_PARAMETER_VALUE'); // ks on a categorical column
  await rejectsWithCode(report(ref, cur, { method: 'nope' }), 'INVALID_PARAMETER_VALUE');
});

test('bad inputs get clear errors', async () => {
  const empty = column('x', ['', '', 'NaN']);
  const fine = column('x', [1.5, 2.5, 3.5]);
  const err = await rejectsWithCode(report(empty, fine), 'INVALID_PARAMETER_VALUE');
  assert.match(err.message, /empty column 'x'.*reference/);
  const text = column('x', ['a', 'b', 'c']);
  assert.match((await rejectsWithCode(report(fine, text), 'INVALID_PARAMETER_VALUE')).message, /should contain numerical values only/);
  const other = column('y', [1, 2, 3]);
  assert.match((await rejectsWithCode(report(fine, other), 'INVALID_PARAMETER_VALUE')).message, /share no numerical or categorical column/);
  assert.match((await rejectsWithCode(report(fine, other, { columns: ['x'] }), 'INVALID_PARAMETER_VALUE')).message, /Cannot find column 'x' in current/);
  await rejectsWithCode(report(path.join(dir, 'missing.csv'), fine), 'RESOURCE_DOES_NOT_EXIST');
  await rejectsWithCode(report(fine, fine, { numerical_columns: ['x'], categorical_columns: ['x'] }), 'INVALID_PARAMETER_VALUE');
});

test('a text value late in a numeric column re-reads the column as categorical', async () => {
  const values: (string | number)[] = seq<string | number>(20000, (i) => i % 7);
  values[19990] = 'seven';
  const r = await report(column('x', values), column('x', seq<string | number>(100, (i) => (i % 7 === 6 ? 'seven' : i % 7))));
  assert.equal(r.columns[0]!.column_type, 'cat');
  assert.equal(r.columns[0]!.reference.unique, 8);
});

test('JSONL and Parquet give the same report as CSV', async () => {
  const rows = seq(400, (i) => ({ n: (i * 37) % 101, c: ['p', 'q', 'r'][i % 3]! }));
  const jsonl = path.join(dir, 'r.jsonl');
  fs.writeFileSync(jsonl, rows.map((r) => JSON.stringify(r)).join('\n'));
  const cur = csv(['n', 'c'], seq(300, (i): (string | number)[] => [(i * 31) % 97, ['p', 'q', 'r'][(i + 1) % 3]!]));
  const fromJsonl = await report(jsonl, cur);
  const fromCsv = await report(csv(['n', 'c'], rows.map((r) => [r.n, r.c])), cur);
  assert.deepEqual(fromJsonl.columns.map((c) => c.drift_score), fromCsv.columns.map((c) => c.drift_score));
  // Parquet with several row groups and a null, written by hyparquet-writer
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const parquet = path.join(dir, 'r.parquet');
  const nulls = rows.map((r, i) => (i === 5 ? null : r.n));
  fs.writeFileSync(parquet, Buffer.from(parquetWriteBuffer({ columnData: [{ name: 'n', data: nulls, type: 'DOUBLE', nullable: true }, { name: 'c', data: rows.map((r) => r.c), type: 'STRING' }], rowGroupSize: 64 })));
  const fromParquet = await report(parquet, cur);
  const csvWithNull = await report(csv(['n', 'c'], rows.map((r, i) => [i === 5 ? '' : r.n, r.c])), cur);
  assert.equal(fromParquet.reference.rows, 400);
  assert.equal(fromParquet.columns[0]!.reference.missing, 1);
  assert.deepEqual(fromParquet.columns.map((c) => [c.stattest, c.drift_score]), csvWithNull.columns.map((c) => [c.stattest, c.drift_score]));
});

test('above exact_limit, columns are sketched, listed as approximated, and stay close to the exact score', async () => {
  const n = 30000;
  const ref = column('x', seq(n, (i) => Math.sin(i) * 10 + (i % 100) / 10));
  const cur = column('x', seq(n, (i) => Math.sin(i * 1.3) * 10 + (i % 90) / 10 + 0.4));
  const exact = await report(ref, cur, { exact_limit: 100000 });
  const sketched = await report(ref, cur, { exact_limit: 5000 });
  assert.deepEqual(exact.approximated_columns, []);
  assert.deepEqual(sketched.approximated_columns, ['x']);
  assert.equal(sketched.columns[0]!.stattest, 'wasserstein');
  const e = exact.columns[0]!.drift_score;
  assert.ok(Math.abs(sketched.columns[0]!.drift_score - e) < 0.01 * e + 1e-3, `${sketched.columns[0]!.drift_score} vs ${e}`);
  const ks = await report(ref, cur, { exact_limit: 5000, method: 'ks' });
  const ksExact = await report(ref, cur, { method: 'ks' });
  assert.ok(Math.abs(Math.log10(ks.columns[0]!.drift_score) - Math.log10(ksExact.columns[0]!.drift_score)) < 0.5);
  const t = await report(ref, cur, { exact_limit: 5000, method: 't_test' });
  const tExact = await report(ref, cur, { method: 't_test' });
  assert.ok(Math.abs(t.columns[0]!.drift_score - tExact.columns[0]!.drift_score) <= 1e-9 * tExact.columns[0]!.drift_score);
  assert.deepEqual(t.approximated_columns, []); // t-test is exact from streamed moments
});
