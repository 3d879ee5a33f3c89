import type { ColumnPair } from '../column-pair';
import { kstwoSf } from '../math/kolmogorov';
import { ks2sampExactPValue } from '../math/ks-two-sample';

import { walkCdfs } from '../sketch/histogram-tests';
import { pAtOrBelow, type StatTest } from './stat-test';

/** D = sup |F_ref − F_cur| over the pooled sample (scipy's searchsorted construction). */
export function ksStatistic(r: Float64Array, c: Float64Array): number {
  let maxS = -Infinity;
  let minS = Infinity;
  // Merge-walk instead of 2(n+m) binary searches: the CDFs only change at data points.
  let i = 0;
  let j = 0;
  while (i < r.length || j < c.length) {
    const v = j >= c.length || (i < r.length && r[i]! <= c[j]!) ? r[i]! : c[j]!;
    while (i < r.length && r[i]! <= v) i++;
    while (j < c.length && c[j]! <= v) j++;
    const diff = i / r.length - j / c.length;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  const minClipped = Math.min(1, Math.max(0, -minS));
  return minClipped > maxS ? minClipped : maxS;
}

/** scipy ks_2samp two-sided p-value, method "auto". */
export function ks2sampPValue(d: number, n1: number, n2: number): number {
  if (Math.max(n1, n2) <= 10000) {
    const exact = ks2sampExactPValue(n1, n2, d);
    if (exact !== undefined) return Math.min(1, Math.max(0, exact));
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  return Math.min(1, Math.max(0, kstwoSf(d, roundHalfEven(en))));
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export const ks: StatTest = {
  name: 'ks',
  displayName: 'K-S p_value',
  allowedTypes: ['num'],
  defaultThreshold: 0.05,
  scoreKind: 'p_value',
  detect: pAtOrBelow,
  score(pair: ColumnPair) {
    const hist = pair.histograms();
    if (hist) return ks2sampPValue(walkCdfs(hist.ref, hist.cur).ks, pair.n, pair.m);
    const r = pair.sortedNumbers('ref');
    const c = pair.sortedNumbers('cur');
    return ks2sampPValue(ksStatistic(r, c), r.length, c.length);
  },
};
