import { CairnError } from '../../core/errors';
import { LegacyRandomState } from '../math/mt19937';
import { pairwiseSum } from '../math/pairwise-sum';
import { pBelow, type StatTest } from './stat-test';

const PERMUTATIONS = 100;
/** The pooled kernel matrix is (n+m)²; above this many pooled values the test refuses. */
export const MMD_MAX_POOLED = 4000;

/** Median (numpy percentile 50, method "nearest": round half to even) of squared ref–ref distances. */
function sigmaMedian(x: Float64Array): number {
  const n = x.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = x[j]! * x[j]! - 2 * (x[i]! * x[j]!) + x[i]! * x[i]!;
  d.sort();
  const pos = 0.5 * (d.length - 1);
  let idx = Math.round(pos);
  if (Math.abs(pos % 1) === 0.5 && idx % 2 !== 0) idx -= 1;
  const sigma = Math.sqrt(0.5 * d[idx]!);
  return sigma === 0 ? Math.sqrt(0.5) : sigma;
}

/**
 * Empirical maximum mean discrepancy with an RBF kernel (median heuristic on the reference) and a
 * permutation p-value. Evidently draws the 100 permutations from numpy's unseeded global RNG;
 * Cairn seeds it with 0 so a report is reproducible (and equals Evidently's under seed 0).
 */
export function mmdPermutationPValue(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  const m = y.length;
  const N = n + m;
  if (N > MMD_MAX_POOLED) throw new CairnError('INVALID_PARAMETER_VALUE', `empirical_mmd builds an (n+m)² kernel matrix; ${N} pooled values exceed ${MMD_MAX_POOLED}.`);
  const gamma = 1 / (2 * sigmaMedian(x) ** 2);
  const z = new Float64Array(N);
  z.set(x);
  z.set(y, n);
  const K = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      if (i === j) continue;
      // squared_paired_dist(a, b)[p][q] = b_q² − 2·a_p·b_q + a_p², with a the row block
      // (the lower-left block is kxy transposed, so its "a" is the reference value)
      const a = i >= n && j < n ? z[j]! : z[i]!;
      const b = i >= n && j < n ? z[i]! : z[j]!;
      K[i * N + j] = Math.exp(-gamma * (b * b - 2 * (a * b) + a * a));
    }
  }
  // numpy sums a 2-D block row by row (pairwise within a row); mirrored so that permutations
  // whose statistic equals the observed one in exact arithmetic compare the same way.
  const row = new Float64Array(Math.max(n, m));
  const blockSum = (perm: Int32Array | undefined, rows: [number, number], cols: [number, number]): number => {
    let total = 0;
    for (let p = rows[0]; p < rows[1]; p++) {
      const i = perm ? perm[p]! : p;
      let k = 0;
      for (let q = cols[0]; q < cols[1]; q++) row[k++] = K[i * N + (perm ? perm[q]! : q)]!;
      total += pairwiseSum(row, 0, k);
    }
    return total;
  };
  const A = 1 / (n * (n - 1));
  const B = 1 / (m * (m - 1));
  const statistic = (perm: Int32Array | undefined): number =>
    A * blockSum(perm, [0, n], [0, n]) + B * blockSum(perm, [n, N], [n, N]) - 2.0 * (blockSum(perm, [n, N], [0, n]) / (n * m));
  const observed = statistic(undefined);
  const rng = new LegacyRandomState(0);
  let atLeast = 0;
  for (let k = 0; k < PERMUTATIONS; k++) if (observed <= statistic(rng.permutation(N))) atLeast++;
  return atLeast / PERMUTATIONS;
}

function thin(values: Float64Array, max: number): Float64Array {
  if (values.length <= max) return values;
  const step = values.length / max;
  return Float64Array.from({ length: max }, (_, i) => values[Math.floor(i * step)]!);
}

export const empiricalMmd: StatTest = {
  name: 'empirical_mmd',
  displayName: 'empirical_mmd',
  allowedTypes: ['num'],
  defaultThreshold: 0.1,
  scoreKind: 'p_value',
  detect: pBelow,
  score(pair) {
    let x = pair.numbers('ref');
    let y = pair.numbers('cur');
    if (x.length + y.length > MMD_MAX_POOLED) {
      // Evidently would build the full kernel matrix; Cairn thins both sides evenly instead.
      x = thin(x, MMD_MAX_POOLED / 2);
      y = thin(y, MMD_MAX_POOLED / 2);
      pair.approximations.add('sample');
    }
    return mmdPermutationPValue(x, y);
  },
};
