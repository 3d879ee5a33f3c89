import { lowerBound, upperBound } from '../math/ranks';
import { polyfit2, polyval } from '../math/polyfit';
import { pBelow, type StatTest } from './stat-test';

const SIG = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];

/** Scholz & Stephens' standardised k-sample Anderson-Darling statistic (midrank version). */
export function andersonKsampStatistic(samples: Float64Array[]): number {
  const k = samples.length;
  const N = samples.reduce((s, x) => s + x.length, 0);
  const Z = new Float64Array(N);
  let off = 0;
  for (const s of samples) {
    Z.set(s, off);
    off += s.length;
  }
  Z.sort();
  const Zstar: number[] = [];
  for (let i = 0; i < N; i++) if (i === 0 || Z[i] !== Z[i - 1]) Zstar.push(Z[i]!);
  if (Zstar.length < 2) throw new RangeError('anderson needs more than one distinct observation');
  const lj = Zstar.map((z) => upperBound(Z, z) - lowerBound(Z, z));
  const Bj = Zstar.map((z, i) => lowerBound(Z, z) + lj[i]! / 2);
  let A2akN = 0;
  for (const s of samples) {
    const ni = s.length;
    let inner = 0;
    for (let j = 0; j < Zstar.length; j++) {
      const z = Zstar[j]!;
      const right = upperBound(s, z);
      const fij = right - lowerBound(s, z);
      const Mij = right - fij / 2;
      const B = Bj[j]!;
      inner += ((lj[j]! / N) * (N * Mij - B * ni) ** 2) / (B * (N - B) - (N * lj[j]!) / 4);
    }
    A2akN += inner / ni;
  }
  A2akN *= (N - 1) / N;
  const n = samples.map((s) => s.length);
  const H = n.reduce((s, v) => s + 1 / v, 0);
  // hs_cs = cumsum(1 / arange(N-1, 1, -1)); h = hs_cs[-1] + 1; g = sum(hs_cs / arange(2, N))
  let cum = 0;
  let g = 0;
  for (let i = 0, v = N - 1; v > 1; v--, i++) {
    cum += 1 / v;
    g += cum / (i + 2);
  }
  const h = cum + 1;
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const b = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const d = (2 * h + 6) * k ** 2 - 4 * h * k;
  const sigmasq = (a * N ** 3 + b * N ** 2 + c * N + d) / ((N - 1) * (N - 2) * (N - 3));
  return (A2akN - (k - 1)) / Math.sqrt(sigmasq);
}

/** scipy's interpolated p-value, capped at 0.25 and floored at 0.001. */
export function andersonKsampPValue(A2: number, k: number): number {
  const m = k - 1;
  const critical = B0.map((b0, i) => b0 + B1[i]! / Math.sqrt(m) + B2[i]! / m);
  if (A2 < Math.min(...critical)) return 0.25;
  if (A2 > Math.max(...critical)) return 0.001;
  const pf = polyfit2(critical, SIG.map(Math.log));
  return Math.exp(polyval(pf, A2));
}

export const anderson: StatTest = {
  name: 'anderson',
  displayName: 'Anderson-Darling',
  allowedTypes: ['num'],
  defaultThreshold: 0.1,
  scoreKind: 'p_value',
  detect: pBelow,
  score(pair) {
    const A2 = andersonKsampStatistic([pair.sortedNumbers('ref'), pair.sortedNumbers('cur')]);
    return andersonKsampPValue(A2, 2);
  },
};
