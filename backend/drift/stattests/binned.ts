// Evidently's get_binned_data: Sturges bins over both samples for numerical columns with more than
// 20 distinct reference values, otherwise one bin per distinct value; optional zero filling.
import type { ColumnPair } from '../column-pair';
import { sturgesEdges } from '../math/histogram';
import { rebin } from '../sketch/histogram-tests';

export function binnedPercents(pair: ColumnPair, fillZeroes: boolean): { ref: Float64Array; cur: Float64Array } {
  let ref: Float64Array;
  let cur: Float64Array;
  if (pair.type === 'num' && pair.uniqueCount('ref') > 20) {
    const edges = sturgesEdges({ ...pair.extent(), count: pair.n + pair.m, integerDtype: pair.integerDtype() });
    ref = pair.binCounts('ref', edges, rebin).map((v) => v / pair.n);
    cur = pair.binCounts('cur', edges, rebin).map((v) => v / pair.m);
  } else {
    const counts = pair.counts();
    ref = counts.ref.map((v) => v / pair.n);
    cur = counts.cur.map((v) => v / pair.m);
  }
  if (fillZeroes) {
    fillZeros(ref);
    fillZeros(cur);
  }
  return { ref, cur };
}

/** Replaces zeros by min_nonzero/1e6 when min_nonzero <= 1e-4, else by 1e-4 (Evidently #334). */
function fillZeros(p: Float64Array): void {
  let min = Infinity;
  for (const v of p) if (v !== 0 && v < min) min = v;
  const fill = min <= 0.0001 ? min / 10 ** 6 : 0.0001;
  for (let i = 0; i < p.length; i++) if (p[i] === 0) p[i] = fill;
}

/** x·ln(x/y) with scipy's rel_entr conventions. */
export function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

export function normalised(p: Float64Array): Float64Array {
  let s = 0;
  for (const v of p) s += v;
  return p.map((v) => v / s);
}
