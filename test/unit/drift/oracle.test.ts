// Every stat test against scipy/numpy running Evidently's code (test/fixtures/drift/oracle.json,
// produced by make-oracle.py), at 1e-6 relative.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ColumnPair, type Sample } from '../../../backend/drift/column-pair';
import { cdfCvmInf } from '../../../backend/drift/math/cramer-von-mises';
import { kstwoSf, smirnovSf } from '../../../backend/drift/math/kolmogorov';
import { chi2Sf, ndtr, studentTSf } from '../../../backend/drift/math/special';
import { getStatTest } from '../../../backend/drift/stattests/registry';
import { generate, type GenSpec } from '../../helpers/drift-gen';

interface OracleCase { test: string; type: 'num' | 'cat'; ref: GenSpec; cur: GenSpec; note: string; expected: number }
const oracle = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/drift/oracle.json'), 'utf8')) as {
  generator: string;
  cases: OracleCase[];
  special: Record<string, number[][]>;
};

export function close(actual: number, expected: number, rel = 1e-6, abs = 1e-300): void {
  if (Number.isNaN(expected)) return assert.ok(Number.isNaN(actual), `expected NaN, got ${actual}`);
  const tol = Math.max(abs, rel * Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, got ${actual} (|Δ| ${Math.abs(actual - expected)} > ${tol})`);
}

function sample(values: (string | number | boolean)[], type: 'num' | 'cat'): Sample {
  if (type === 'num') {
    const nums = values as number[];
    return { kind: 'num', values: Float64Array.from(nums), integerDtype: nums.every((v) => Number.isInteger(v)) && !nums.some((v) => String(v).includes('.')) };
  }
  return { kind: 'cat', values };
}

for (const c of oracle.cases) {
  test(`${c.test} matches scipy (${c.note})`, () => {
    const ref = generate(c.ref);
    const cur = generate(c.cur);
    // Python ints stay ints in the fixture; floats that happen to be whole (1.0) are written as 1.0.
    const pair = new ColumnPair('x', c.type, sample(ref, c.type), sample(cur, c.type));
    // Permutation statistics that tie the observed one in exact arithmetic are decided by the last
    // bit of libm's exp (glibc vs V8); Evidently's vector 21 has such ties (its own tolerance: 0.1).
    const abs = c.test === 'empirical_mmd' && c.note.includes('vector 21') ? 0.05 : 1e-12;
    close(getStatTest(c.test, c.type).score(pair), c.expected, 1e-6, abs);
  });
}

test(`kstwo.sf matches scipy (${oracle.special['kstwo_sf']!.length} points)`, () => {
  for (const [n, x, p] of oracle.special['kstwo_sf']!) close(kstwoSf(x!, n!), p!, 1e-6, 1e-15);
});
test('chi2.sf, t.sf, ndtr, smirnov and the limiting CvM cdf match scipy', () => {
  for (const [x, df, p] of oracle.special['chi2_sf']!) close(chi2Sf(x!, df!), p!, 1e-9);
  for (const [t, df, p] of oracle.special['t_sf']!) close(studentTSf(t!, df!), p!, 1e-8);
  for (const [x, p] of oracle.special['ndtr']!) close(ndtr(x!), p!, 1e-12);
  for (const [n, x, p] of oracle.special['smirnov']!) close(smirnovSf(n!, x!), p!, 1e-8, 1e-300);
  for (const [x, p] of oracle.special['cvm_inf_cdf']!) close(cdfCvmInf(x!), p!, 1e-8);
});
