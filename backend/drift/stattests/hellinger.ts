import { sturgesEdges } from '../math/histogram';
import { rebin } from '../sketch/histogram-tests';
import { distanceAtOrAbove, type StatTest } from './stat-test';

/**
 * Hellinger distance. Categorical: over category frequencies. Numerical: densities on Sturges bins
 * fitted to the set of distinct values of both samples (not to the data), as Evidently does.
 */
export const hellinger: StatTest = {
  name: 'hellinger',
  displayName: 'Hellinger distance',
  allowedTypes: ['cat', 'num'],
  defaultThreshold: 0.1,
  scoreKind: 'distance',
  detect: distanceAtOrAbove,
  score(pair) {
    let bc = 0;
    if (pair.type === 'cat') {
      const { ref, cur } = pair.counts();
      for (let i = 0; i < ref.length; i++) bc += Math.sqrt((ref[i]! / pair.n) * (cur[i]! / pair.m));
    } else {
      const keys = pair.uniqueNumbers();
      const edges = sturgesEdges({ min: keys[0]!, max: keys[keys.length - 1]!, count: keys.length, integerDtype: pair.integerDtype() });
      const nb = edges.length - 1;
      const width = (edges[nb]! - edges[0]!) / nb;
      const h1 = density(pair.binCounts('ref', edges, rebin), edges);
      const h2 = density(pair.binCounts('cur', edges, rebin), edges);
      for (let i = 0; i < nb; i++) bc += Math.sqrt(h1[i]! * h2[i]!) * width;
    }
    bc = Math.min(1, Math.max(0, bc));
    return Math.sqrt(1 - bc);
  },
};

function density(counts: Float64Array, edges: Float64Array): Float64Array {
  let total = 0;
  for (const c of counts) total += c;
  return counts.map((c, i) => c / total / (edges[i + 1]! - edges[i]!));
}
