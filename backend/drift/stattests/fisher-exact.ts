import { CairnError } from '../../core/errors';
import { fisherExact2x2 } from '../math/fisher-exact';
import { pBelow, type StatTest } from './stat-test';

/** Fisher's exact test for binary columns of equal length (Evidently's contingency table). */
export const fisherExact: StatTest = {
  name: 'fisher_exact',
  displayName: "Fisher's Exact test",
  allowedTypes: ['cat'],
  defaultThreshold: 0.1,
  scoreKind: 'p_value',
  detect: pBelow,
  score(pair) {
    if (pair.n !== pair.m) {
      throw new CairnError('INVALID_PARAMETER_VALUE', `fisher_exact needs reference and current of equal length (column '${pair.column}': ${pair.n} vs ${pair.m}).`);
    }
    const { ref, cur } = pair.counts();
    if (pair.uniqueCount('ref') > 2 || pair.uniqueCount('cur') > 2 || ref.length > 2) {
      throw new CairnError('INVALID_PARAMETER_VALUE', `fisher_exact expects binary data; column '${pair.column}' has more than 2 categories.`);
    }
    // The second category (or a placeholder) counts as "one"; the table is [[one_cur, zero_cur], [one_ref, zero_ref]].
    const oneRef = ref.length === 2 ? ref[1]! : 0;
    const oneCur = cur.length === 2 ? cur[1]! : 0;
    return fisherExact2x2(oneCur, pair.m - oneCur, oneRef, pair.n - oneRef);
  },
};
