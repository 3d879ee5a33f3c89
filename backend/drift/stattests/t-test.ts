import { studentTSf } from '../math/special';
import { pBelow, type StatTest } from './stat-test';

function meanVar(x: Float64Array): [number, number] {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let ss = 0;
  for (const v of x) ss += (v - mean) * (v - mean);
  return [mean, ss / (x.length - 1)];
}

/** Student's two-sample t-test with pooled variance, two-sided p. */
export const tTest: StatTest = {
  name: 't_test',
  displayName: 't_test',
  allowedTypes: ['num'],
  defaultThreshold: 0.05,
  scoreKind: 'p_value',
  detect: pBelow,
  score(pair) {
    let m1: number, v1: number, m2: number, v2: number, n1: number, n2: number;
    if (pair.sketch?.ref.numeric && pair.sketch.cur.numeric) {
      // exact from the streamed moments
      const a = pair.moments('ref');
      const b = pair.moments('cur');
      [n1, m1, v1, n2, m2, v2] = [a.count, a.mean, (a.variance * a.count) / (a.count - 1), b.count, b.mean, (b.variance * b.count) / (b.count - 1)];
    } else {
      const x = pair.numbers('ref');
      const y = pair.numbers('cur');
      [m1, v1] = meanVar(x);
      [m2, v2] = meanVar(y);
      n1 = x.length;
      n2 = y.length;
    }
    const df = n1 + n2 - 2;
    const sp = ((n1 - 1) * v1 + (n2 - 1) * v2) / df;
    const t = (m1 - m2) / Math.sqrt(sp * (1 / n1 + 1 / n2));
    if (Number.isNaN(t)) return NaN;
    return Math.min(1, 2 * studentTSf(Math.abs(t), df));
  },
};
