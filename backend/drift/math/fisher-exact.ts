// scipy's two-sided Fisher exact test on a 2×2 table: the hypergeometric tail on the observed side
// plus the tail on the other side of the mode whose probabilities do not exceed the observed one.
import { lbinom } from './special';

/** Two-sided p-value for [[a, b], [c, d]]. */
export function fisherExact2x2(a: number, b: number, c: number, d: number): number {
  if (a + b === 0 || c + d === 0 || a + c === 0 || b + d === 0) return 1;
  const n1 = a + b;
  const n2 = c + d;
  const n = a + c;
  const total = n1 + n2;
  const lo = Math.max(0, n - n2);
  const hi = Math.min(n, n1);
  const logDenominator = lbinom(total, n);
  const pmf = (x: number): number => (x < lo || x > hi ? 0 : Math.exp(lbinom(n1, x) + lbinom(n2, n - x) - logDenominator));
  const cdf = (x: number): number => {
    let s = 0;
    for (let i = lo; i <= Math.min(x, hi); i++) s += pmf(i);
    return Math.min(1, s);
  };
  const sf = (x: number): number => {
    let s = 0;
    for (let i = Math.max(x + 1, lo); i <= hi; i++) s += pmf(i);
    return Math.min(1, s);
  };
  const mode = Math.floor(((n + 1) * (n1 + 1)) / (total + 2));
  const pexact = pmf(a);
  const pmode = pmf(mode);
  const epsilon = 1e-14;
  const gamma = 1 + epsilon;
  if (Math.abs(pexact - pmode) / Math.max(pexact, pmode) <= epsilon) return 1;
  let p: number;
  if (a < mode) {
    const plower = cdf(a);
    if (pmf(n) > pexact * gamma) return plower;
    const guess = binarySearch((x) => -pmf(x), -pexact * gamma, mode, n);
    p = plower + sf(guess);
  } else {
    const pupper = sf(a - 1);
    if (pmf(0) > pexact * gamma) return pupper;
    const guess = binarySearch(pmf, pexact * gamma, 0, mode);
    p = pupper + cdf(guess);
  }
  return Math.min(p, 1);
}

/** The index i in [lo, hi] with f(i) <= d < f(i + 1), for f ascending on the range. */
function binarySearch(f: (x: number) => number, d: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const v = f(mid);
    if (v < d) lo = mid + 1;
    else if (v > d) hi = mid - 1;
    else return mid;
  }
  return f(lo) <= d ? lo : lo - 1;
}
