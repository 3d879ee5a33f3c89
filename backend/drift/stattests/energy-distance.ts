import { cdfDistance } from './cdf-distance';
import { walkCdfs } from '../sketch/histogram-tests';
import type { StatTest } from './stat-test';

/** Energy distance = √2 · L2 distance of the CDFs; drift when strictly above the threshold. */
export const energyDistance: StatTest = {
  name: 'ed',
  displayName: 'Energy-distance',
  allowedTypes: ['num'],
  defaultThreshold: 0.1,
  scoreKind: 'distance',
  detect: (score, threshold) => score > threshold,
  score(pair) {
    const hist = pair.histograms();
    if (hist) return Math.SQRT2 * Math.sqrt(walkCdfs(hist.ref, hist.cur).l2squared);
    return Math.SQRT2 * cdfDistance(pair.sortedNumbers('ref'), pair.sortedNumbers('cur'), 2);
  },
};
