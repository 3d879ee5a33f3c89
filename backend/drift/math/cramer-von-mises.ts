// Null distribution of the two-sample Cramér-von Mises statistic: exact (Xiao, Gordon & Yakovlev
// 2006) for small samples and the limiting one-sample distribution (Csörgő & Faraway 1996).
import { lgamma } from './special';

/** K_ν(x)·e^{x} for x > 0, by the trapezoid rule on ∫₀^∞ exp(-x(cosh t - 1)) cosh(νt) dt. */
function scaledBesselK(nu: number, x: number): number {
  const h = Math.min(0.02, 0.25 / Math.sqrt(x));
  let sum = 0.5; // t = 0
  for (let i = 1; i < 1_000_000; i++) {
    const t = i * h;
    const f = Math.exp(-x * (Math.cosh(t) - 1)) * Math.cosh(nu * t);
    sum += f;
    if (f < 1e-18 * sum) break;
  }
  return sum * h;
}

/** CDF of the limiting Cramér-von Mises distribution. */
export function cdfCvmInf(x: number): number {
  let total = 0;
  for (let k = 0; k < 10000; k++) {
    const u = Math.exp(lgamma(k + 0.5) - lgamma(k + 1)) / (Math.PI ** 1.5 * Math.sqrt(x));
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    // exp(-q) · K_{1/4}(q) = exp(-2q) · (K_{1/4}(q) e^{q})
    const z = u * Math.sqrt(y) * Math.exp(-2 * q) * scaledBesselK(0.25, q);
    total += z;
    if (Math.abs(z) < 1e-7) break;
  }
  return total;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Exact P(U >= u) for the two-sample statistic U with sample sizes m and n. */
export function cvm2sampExactPValue(u: number, m: number, n: number): number {
  const lcm = (m / gcd(m, n)) * n;
  const a = lcm / m;
  const b = lcm / n;
  const mn = m * n;
  const zeta = Math.floor((lcm ** 2 * (m + n) * (6 * u - mn * (4 * mn - 1))) / (6 * mn ** 2));
  let combinations = 1;
  for (let i = 1; i <= n; i++) combinations = (combinations * (m + i)) / i;
  // gs[v]: frequency table value -> count of g^+_{u,v}
  let gs: Map<number, number>[] = [new Map([[0, 1]])];
  for (let v = 0; v < m; v++) gs.push(new Map());
  for (let uu = 0; uu <= n; uu++) {
    const next: Map<number, number>[] = [];
    let tmp = new Map<number, number>();
    for (let v = 0; v < gs.length; v++) {
      const merged = new Map(tmp);
      for (const [val, f] of gs[v]!) merged.set(val, (merged.get(val) ?? 0) + f);
      const shift = (a * v - b * uu) ** 2;
      tmp = new Map();
      for (const [val, f] of merged) tmp.set(val + shift, f);
      next.push(tmp);
    }
    gs = next;
  }
  let sum = 0;
  for (const [val, f] of gs[m]!) if (val >= zeta) sum += f;
  return sum / combinations;
}
