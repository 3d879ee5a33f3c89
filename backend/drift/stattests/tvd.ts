import type { ColumnPair } from '../column-pair';
import { LegacyRandomState } from '../math/mt19937';
import { pBelow, type StatTest } from './stat-test';

const ITERATIONS = 1000;

function tvdFromCounts(ref: Float64Array, cur: Float64Array): number {
  let sr = 0;
  let sc = 0;
  for (let i = 0; i < ref.length; i++) {
    sr += ref[i]!;
    sc += cur[i]!;
  }
  let s = 0;
  for (let i = 0; i < ref.length; i++) s += Math.abs(ref[i]! / sr - cur[i]! / sc);
  return 0.5 * s;
}

/**
 * Total variation distance with Evidently's permutation p-value: 1000 draws from numpy's legacy
 * RNG seeded with 0, each a random split of the pooled values (reference first, in row order).
 */
export function tvdPermutationPValue(pair: ColumnPair): number {
  // Uses the values themselves (a sample of them for a sketched column), in row order.
  const r = pair.keys('ref');
  const c = pair.keys('cur');
  const index = new Map<unknown, number>();
  const pooled = new Int32Array(r.length + c.length);
  for (let i = 0; i < pooled.length; i++) {
    const v = i < r.length ? r[i]! : c[i - r.length]!;
    let k = index.get(v);
    if (k === undefined) index.set(v, (k = index.size));
    pooled[i] = k;
  }
  const keys = index.size;
  const ref = new Float64Array(keys);
  const cur = new Float64Array(keys);
  for (let i = 0; i < pooled.length; i++) (i < r.length ? ref : cur)[pooled[i]!]!++;
  const observed = tvdFromCounts(ref, cur);
  const total = new Float64Array(keys);
  for (const k of pooled) total[k]!++;
  const rng = new LegacyRandomState(0);
  const permRef = new Float64Array(keys);
  const permCur = new Float64Array(keys);
  let atLeast = 0;
  for (let it = 0; it < ITERATIONS; it++) {
    const perm = rng.permutation(pooled.length);
    permRef.fill(0);
    for (let i = 0; i < r.length; i++) permRef[pooled[perm[i]!]!]!++;
    for (let k = 0; k < keys; k++) permCur[k] = total[k]! - permRef[k]!;
    if (observed <= Math.abs(tvdFromCounts(permRef, permCur))) atLeast++;
  }
  return atLeast / ITERATIONS;
}

export const tvd: StatTest = {
  name: 'TVD',
  displayName: 'Total-Variation-Distance',
  allowedTypes: ['cat'],
  defaultThreshold: 0.1,
  scoreKind: 'p_value',
  detect: pBelow,
  score: tvdPermutationPValue,
};
