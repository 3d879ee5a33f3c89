import { CairnError } from '../../core/errors';
import type { ColumnType } from '../column-pair';
import { anderson } from './anderson';
import { chisquare } from './chisquare';
import { cramerVonMises } from './cramer-von-mises';
import { empiricalMmd } from './empirical-mmd';
import { energyDistance } from './energy-distance';
import { fisherExact } from './fisher-exact';
import { gTest } from './g-test';
import { hellinger } from './hellinger';
import { jensenshannon } from './jensenshannon';
import { klDiv } from './kl-div';
import { ks } from './ks';
import { mannWhitney } from './mann-whitney';
import { psi } from './psi';
import type { StatTest } from './stat-test';
import { tTest } from './t-test';
import { tvd } from './tvd';
import { wasserstein } from './wasserstein';
import { zTest } from './z-test';

export const STAT_TESTS: readonly StatTest[] = [
  ks, chisquare, zTest, wasserstein, jensenshannon, psi, klDiv, hellinger, anderson, cramerVonMises,
  energyDistance, tTest, mannWhitney, gTest, fisherExact, empiricalMmd, tvd,
];

const BY_NAME = new Map(STAT_TESTS.map((t) => [t.name, t]));

export function statTestNames(): string[] {
  return STAT_TESTS.map((t) => t.name);
}

/** A test by name for a column type, with Evidently's errors for unknown or inapplicable tests. */
export function getStatTest(name: string, type: ColumnType, column?: string): StatTest {
  const test = BY_NAME.get(name);
  if (!test) throw new CairnError('INVALID_PARAMETER_VALUE', `No stattest named '${name}'. Available: ${statTestNames().join(', ')}.`);
  if (!test.allowedTypes.includes(type)) {
    const where = column ? ` (column '${column}')` : '';
    throw new CairnError('INVALID_PARAMETER_VALUE', `Stattest ${name} isn't applicable to ${type === 'num' ? 'numerical' : 'categorical'} columns${where}; it applies to: ${test.allowedTypes.map((t) => (t === 'num' ? 'numerical' : 'categorical')).join(', ')}.`);
  }
  return test;
}

/** Evidently's automatic choice by column type, reference size and distinct values of both sides. */
export function defaultStatTest(type: ColumnType, refSize: number, uniqueBoth: number): StatTest {
  if (refSize <= 1000) {
    if (type === 'num' && uniqueBoth > 5) return ks;
    return uniqueBoth > 2 ? chisquare : zTest;
  }
  if (type === 'num' && uniqueBoth > 5) return wasserstein;
  return jensenshannon;
}
