import { cdfCvmInf, cvm2sampExactPValue } from '../math/cramer-von-mises';
import { averageRanks } from '../math/ranks';
import { pAtOrBelow, type StatTest } from './stat-test';

/** Two-sample Cramér-von Mises p-value (Evidently's port of scipy's cramervonmises_2samp). */
export function cvm2sampPValue(x: Float64Array, y: Float64Array): number {
  const nx = x.length;
  const ny = y.length;
  if (nx <= 1 || ny <= 1) throw new RangeError('cramer_von_mises needs at least two observations on each side');
  const z = new Float64Array(nx + ny);
  z.set(x);
  z.set(y, nx);
  const { ranks } = averageRanks(z);
  // x and y are sorted, so their ranks within the pooled sample are increasing.
  const rx = Float64Array.from(ranks.subarray(0, nx)).sort();
  const ry = Float64Array.from(ranks.subarray(nx)).sort();
  let u = 0;
  for (let i = 0; i < nx; i++) u += (rx[i]! - (i + 1)) ** 2;
  u *= nx;
  let uy = 0;
  for (let j = 0; j < ny; j++) uy += (ry[j]! - (j + 1)) ** 2;
  u += ny * uy;
  const k = nx * ny;
  const N = nx + ny;
  const t = u / (k * N) - (4 * k - 1) / (6 * N);
  if (Math.max(nx, ny) <= 20) return cvm2sampExactPValue(u, nx, ny);
  const et = (1 + 1 / N) / 6;
  const vt = ((N + 1) * (4 * k * N - 3 * (nx ** 2 + ny ** 2) - 2 * k)) / (45 * N ** 2 * 4 * k);
  const tn = 1 / 6 + (t - et) / Math.sqrt(45 * vt);
  if (tn < 0.003) return 1;
  return Math.max(0, 1 - cdfCvmInf(tn));
}

export const cramerVonMises: StatTest = {
  name: 'cramer_von_mises',
  displayName: 'Cramer-von Mises',
  allowedTypes: ['num'],
  defaultThreshold: 0.1,
  scoreKind: 'p_value',
  detect: pAtOrBelow,
  score(pair) {
    return cvm2sampPValue(pair.sortedNumbers('ref'), pair.sortedNumbers('cur'));
  },
};
