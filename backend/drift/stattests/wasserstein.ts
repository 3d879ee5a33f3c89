import { cdfDistance, populationStd } from './cdf-distance';
import { walkCdfs } from '../sketch/histogram-tests';
import { distanceAtOrAbove, type StatTest } from './stat-test';

/** Wasserstein-1 distance divided by max(std_ref, 0.001) (population std). */
export const wasserstein: StatTest = {
  name: 'wasserstein',
  displayName: 'Wasserstein distance (normed)',
  allowedTypes: ['num'],
  defaultThreshold: 0.1,
  scoreKind: 'distance',
  detect: distanceAtOrAbove,
  score(pair) {
    const hist = pair.histograms();
    if (hist) return walkCdfs(hist.ref, hist.cur).w1 / Math.max(Math.sqrt(pair.moments('ref').variance), 0.001);
    const norm = Math.max(populationStd(pair.numbers('ref')), 0.001);
    return cdfDistance(pair.sortedNumbers('ref'), pair.sortedNumbers('cur'), 1) / norm;
  },
};
