import { chi2Sf } from '../math/special';
import { pBelow, type StatTest } from './stat-test';

/**
 * G-test (log-likelihood ratio). Expected counts are the reference counts scaled to the current
 * size: identical to Evidently when both sides have the same size, where Evidently's unscaled
 * version is defined (it raises on unequal sizes; evidently#1914).
 */
export const gTest: StatTest = {
  name: 'g_test',
  displayName: 'g_test',
  allowedTypes: ['cat'],
  defaultThreshold: 0.1,
  scoreKind: 'p_value',
  detect: pBelow,
  score(pair) {
    const { ref, cur } = pair.counts();
    const k = pair.m / pair.n;
    let stat = 0;
    for (let i = 0; i < ref.length; i++) {
      const exp = ref[i]! * k;
      const obs = cur[i]!;
      if (obs === 0) continue;
      stat += exp === 0 ? Infinity : obs * Math.log(obs / exp);
    }
    return chi2Sf(2 * stat, ref.length - 1);
  },
};
