import { compareKeys } from '../column-pair';
import { ndtr } from '../math/special';
import { pBelow, type StatTest } from './stat-test';

/** Two-proportion Z-test: the share of values equal to the smallest key, reference vs current. */
export const zTest: StatTest = {
  name: 'z',
  displayName: 'Z-test p_value',
  allowedTypes: ['cat'],
  defaultThreshold: 0.05,
  scoreKind: 'p_value',
  detect: pBelow,
  score(pair) {
    const { keys, ref, cur } = pair.counts();
    const refKeys = keys.filter((_, i) => ref[i]! > 0);
    const curKeys = keys.filter((_, i) => cur[i]! > 0);
    if (refKeys.length === 1 && curKeys.length === 1 && compareKeys(refKeys[0]!, curKeys[0]!) === 0) return 1;
    // keys are sorted, so keys[0] is the first key; everything else maps to 1.
    const n1 = pair.n;
    const n2 = pair.m;
    const p1 = (n1 - ref[0]!) / n1;
    const p2 = (n2 - cur[0]!) / n2;
    const P = (p1 * n1 + p2 * n2) / (n1 + n2);
    const z = (p1 - p2) / Math.sqrt(P * (1 - P) * (1 / n1 + 1 / n2));
    return 2 * (1 - ndtr(Math.abs(z)));
  },
};
