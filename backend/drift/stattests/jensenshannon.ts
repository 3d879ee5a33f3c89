import { binnedPercents, normalised, relEntr } from './binned';
import { distanceAtOrAbove, type StatTest } from './stat-test';

/** Jensen-Shannon distance (natural log) on Evidently's bins without zero filling. */
export const jensenshannon: StatTest = {
  name: 'jensenshannon',
  displayName: 'Jensen-Shannon distance',
  allowedTypes: ['cat', 'num'],
  defaultThreshold: 0.1,
  scoreKind: 'distance',
  detect: distanceAtOrAbove,
  score(pair) {
    const b = binnedPercents(pair, false);
    const p = normalised(b.ref);
    const q = normalised(b.cur);
    let left = 0;
    let right = 0;
    for (let i = 0; i < p.length; i++) {
      const m = (p[i]! + q[i]!) / 2;
      left += relEntr(p[i]!, m);
      right += relEntr(q[i]!, m);
    }
    return Math.sqrt((left + right) / 2);
  },
};
