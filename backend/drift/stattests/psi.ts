import { binnedPercents } from './binned';
import { distanceAtOrAbove, type StatTest } from './stat-test';

/** Population Stability Index on Evidently's bins, zero-filled, not renormalised. */
export const psi: StatTest = {
  name: 'psi',
  displayName: 'PSI',
  allowedTypes: ['cat', 'num'],
  defaultThreshold: 0.1,
  scoreKind: 'distance',
  detect: distanceAtOrAbove,
  score(pair) {
    const { ref, cur } = binnedPercents(pair, true);
    let s = 0;
    for (let i = 0; i < ref.length; i++) s += (ref[i]! - cur[i]!) * Math.log(ref[i]! / cur[i]!);
    return s;
  },
};
