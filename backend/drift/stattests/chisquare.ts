import { chi2Sf } from '../math/special';
import { pBelow, type StatTest } from './stat-test';

/** Pearson chi-square goodness of fit of current counts to reference proportions. */
export const chisquare: StatTest = {
  name: 'chisquare',
  displayName: 'chi-square p_value',
  allowedTypes: ['cat'],
  defaultThreshold: 0.05,
  scoreKind: 'p_value',
  detect: pBelow,
  score(pair) {
    const { ref, cur } = pair.counts();
    const k = pair.m / pair.n;
    let stat = 0;
    for (let i = 0; i < ref.length; i++) {
      const exp = ref[i]! * k;
      const d = cur[i]! - exp;
      stat += exp === 0 ? (d === 0 ? NaN : Infinity) : (d * d) / exp;
    }
    return chi2Sf(stat, ref.length - 1);
  },
};
