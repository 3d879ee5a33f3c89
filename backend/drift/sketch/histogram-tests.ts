// K-S, Wasserstein and energy distance from two histograms on a common grid, taking the values as
// spread uniformly within each bin (NannyML's approximation, on a mergeable grid).
import { commonGrid, type AlignedHistogram } from './aligned-histogram';

export interface CdfWalk {
  /** CDF difference at each edge (after the bin ending there). */
  ks: number;
  w1: number;
  l2squared: number;
}

export function walkCdfs(ref: AlignedHistogram, cur: AlignedHistogram): CdfWalk {
  const { edges, a, b } = commonGrid(ref, cur);
  let fa = 0;
  let fb = 0;
  let ks = 0;
  let w1 = 0;
  let l2 = 0;
  for (let i = 0; i < a.length; i++) {
    const width = edges[i + 1]! - edges[i]!;
    const d0 = fa - fb;
    fa += a[i]! / ref.total;
    fb += b[i]! / cur.total;
    const d1 = fa - fb;
    ks = Math.max(ks, Math.abs(d1));
    // |d| is linear across the bin; integrate |d| and d² exactly.
    if (d0 * d1 >= 0) w1 += ((Math.abs(d0) + Math.abs(d1)) / 2) * width;
    else w1 += ((d0 * d0 + d1 * d1) / (2 * (Math.abs(d0) + Math.abs(d1)))) * width;
    l2 += ((d0 * d0 + d0 * d1 + d1 * d1) / 3) * width;
  }
  return { ks, w1, l2squared: l2 };
}

/**
 * Counts of a histogram re-binned onto other edges, each fine bin split in proportion to its
 * overlap (the parts of a fine bin outside the edges count towards the nearest outer bin).
 */
export function rebin(h: AlignedHistogram, edges: Float64Array): Float64Array {
  const out = new Float64Array(edges.length - 1);
  const first = edges[0]!;
  const last = edges[edges.length - 1]!;
  for (let i = 0; i < h.counts.length; i++) {
    const c = h.counts[i]!;
    if (c === 0) continue;
    const lo = Math.max((h.offset + i) * h.width, first);
    const hi = Math.min((h.offset + i + 1) * h.width, last);
    if (hi <= lo) {
      out[lo >= last ? out.length - 1 : 0]! += c;
      continue;
    }
    for (let k = 0; k < out.length; k++) {
      const a = Math.max(lo, edges[k]!);
      const b = Math.min(hi, edges[k + 1]!);
      if (b > a) out[k]! += (c * (b - a)) / (hi - lo);
    }
  }
  return out;
}
