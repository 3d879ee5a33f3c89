import type { ColumnPair, ColumnType } from '../column-pair';

/** One registered drift test, Evidently-compatible in name, default threshold and decision rule. */
export interface StatTest {
  name: string;
  displayName: string;
  allowedTypes: ColumnType[];
  defaultThreshold: number;
  /** What the score is: a p-value (small = drift) or a distance (large = drift). */
  scoreKind: 'p_value' | 'distance';
  /** Evidently's comparison for this test. */
  detect(score: number, threshold: number): boolean;
  score(pair: ColumnPair): number;
}

export const pBelow = (score: number, threshold: number): boolean => score < threshold;
export const pAtOrBelow = (score: number, threshold: number): boolean => score <= threshold;
export const distanceAtOrAbove = (score: number, threshold: number): boolean => score >= threshold;
