import { averageRanks } from '../math/ranks';
import { ndtr } from '../math/special';
import { pBelow, type StatTest } from './stat-test';

/** Counts of U = 0..maxU for sizes (n1, n2) without ties: coefficients of the Gaussian binomial. */
function uFrequencies(n1: number, n2: number, maxU: number): Float64Array {
  const small = Math.min(n1, n2);
  const large = Math.max(n1, n2);
  const c = new Float64Array(maxU + 1);
  c[0] = 1;
  // ∏_{i=1}^{small} (1 − q^{large+i}) / (1 − q^i), truncated at q^maxU.
  for (let i = 1; i <= small; i++) {
    for (let k = i; k <= maxU; k++) c[k]! += c[k - i]!;
    const a = large + i;
    for (let k = maxU; k >= a; k--) c[k]! -= c[k - a]!;
  }
  return c;
}

/** scipy mannwhitneyu(x, y, alternative) p-value with method "auto". */
export function mannWhitneyPValue(x: Float64Array, y: Float64Array, alternative: 'less' | 'greater' | 'two-sided'): number {
  const n1 = x.length;
  const n2 = y.length;
  const xy = new Float64Array(n1 + n2);
  xy.set(x);
  xy.set(y, n1);
  const { ranks, ties } = averageRanks(xy);
  let R1 = 0;
  for (let i = 0; i < n1; i++) R1 += ranks[i]!;
  const U1 = R1 - (n1 * (n1 + 1)) / 2;
  const U2 = n1 * n2 - U1;
  const [U, f] = alternative === 'greater' ? [U1, 1] : alternative === 'less' ? [U2, 1] : [Math.max(U1, U2), 2];
  const hasTies = ties.some((t) => t > 1);
  let p: number;
  if ((n1 > 8 && n2 > 8) || hasTies) {
    const n = n1 + n2;
    const tieTerm = ties.reduce((s, t) => s + t ** 3 - t, 0);
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    const z = (U - (n1 * n2) / 2 - 0.5) / s;
    p = ndtr(-z);
  } else {
    // Exact: P(U' >= U), summing the smaller tail by symmetry.
    const total = n1 * n2;
    const kc = total - U;
    if (U < kc) {
      const freq = uFrequencies(n1, n2, U);
      const all = binom(n1 + n2, n1);
      let cdfBelow = 0;
      for (let k = 0; k < U; k++) cdfBelow += freq[k]!;
      p = 1 - cdfBelow / all;
    } else {
      const freq = uFrequencies(n1, n2, kc);
      let s = 0;
      for (let k = 0; k <= kc; k++) s += freq[k]!;
      p = s / binom(n1 + n2, n1);
    }
  }
  return Math.min(1, Math.max(0, p * f));
}

function binom(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

export const mannWhitney: StatTest = {
  name: 'mannw',
  displayName: 'Mann-Whitney U-rank test',
  allowedTypes: ['num'],
  defaultThreshold: 0.05,
  scoreKind: 'p_value',
  detect: pBelow,
  score(pair) {
    return mannWhitneyPValue(pair.numbers('ref'), pair.numbers('cur'), 'less');
  },
};
