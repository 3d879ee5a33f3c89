import { binnedPercents, normalised, relEntr } from './binned';
import { distanceAtOrAbove, type StatTest } from './stat-test';

/** KL(reference ‖ current) on Evidently's zero-filled bins (scipy `entropy`: renormalised, ln). */
export const klDiv: StatTest = {
  name: 'kl_div',
  displayName: 'Kullback-Leibler divergence',
  allowedTypes: ['cat', 'num'],
  defaultThreshold: 0.1,
  scoreKind: 'distance',
  detect: distanceAtOrAbove,
  score(pair) {
    const b = binnedPercents(pair, true);
    const ref = normalised(b.ref);
    const cur = normalised(b.cur);
    let s = 0;
    for (let i = 0; i < ref.length; i++) s += relEntr(ref[i]!, cur[i]!);
    return s;
  },
};
