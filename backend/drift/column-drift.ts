// Drift of one column: clean (NaN/inf dropped by the accumulators), check, pick the test and the
// threshold, score, and describe both sides (summary stats and Evidently's small histograms).
import type { ColumnDriftResult, SideSummary, SmallHistogram } from '../api/drift';
import { CairnError } from '../core/errors';
import { ColumnPair, compareKeys, type CategoryKey, type ColumnType, type PairSketch, type Sample } from './column-pair';
import type { DriftOptions } from './drift-options';
import { DISTINCT_CAP } from './inputs/column-accumulator';
import type { LoadedColumn } from './inputs/load-table';
import { equalWidthEdges, histogramCounts } from './math/histogram';
import { rebin } from './sketch/histogram-tests';
import { defaultStatTest, getStatTest } from './stattests/registry';

const SMALL_BINS = 10;
const MAX_CATEGORIES_SHOWN = 100;

function sampleOf(col: LoadedColumn, type: ColumnType): Sample {
  if (col.numeric) {
    const values = col.numeric.values();
    if (type === 'num') return { kind: 'num', values, integerDtype: col.dtype === 'int' };
    return { kind: 'cat', values: Array.from(values) };
  }
  return { kind: 'cat', values: col.categorical!.values() };
}

function countOf(col: LoadedColumn): number {
  return col.numeric ? col.numeric.count : col.categorical!.count;
}

function checkNotEmpty(name: string, col: LoadedColumn, side: string): void {
  if (countOf(col) === 0) throw new CairnError('INVALID_PARAMETER_VALUE', `An empty column '${name}' was provided for drift calculation in the ${side} dataset (no values left after dropping missing and infinite ones).`);
}

export function columnPair(name: string, type: ColumnType, ref: LoadedColumn, cur: LoadedColumn): ColumnPair {
  checkNotEmpty(name, ref, 'reference');
  checkNotEmpty(name, cur, 'current');
  const sketched = (ref.numeric ?? ref.categorical)!.sketched || (cur.numeric ?? cur.categorical)!.sketched;
  const sketch: PairSketch | undefined = sketched ? { ref: (ref.numeric ?? ref.categorical)!.sketch(), cur: (cur.numeric ?? cur.categorical)!.sketch() } : undefined;
  return new ColumnPair(name, type, sampleOf(ref, type), sampleOf(cur, type), sketch);
}

export function columnDrift(name: string, type: ColumnType, ref: LoadedColumn, cur: LoadedColumn, opts: DriftOptions): ColumnDriftResult {
  const pair = columnPair(name, type, ref, cur);
  const method = opts.methodFor(name, type);
  const test = method ? getStatTest(method, type, name) : defaultStatTest(type, pair.n, pair.uniqueCount('both'));
  const threshold = opts.thresholdFor(name, type) ?? test.defaultThreshold;
  let score: number;
  try {
    score = test.score(pair);
  } catch (err) {
    if (err instanceof CairnError) throw err;
    throw new CairnError('INVALID_PARAMETER_VALUE', `Column '${name}': ${test.name} failed: ${(err as Error).message}`);
  }
  const detected = test.detect(score, threshold);
  const result: ColumnDriftResult = {
    column: name,
    column_type: type,
    stattest: test.name,
    stattest_display_name: test.displayName,
    threshold,
    drift_score: score,
    drift_detected: detected,
    description: `Drift score is ${round(score, 2)}. The drift detection method is ${test.displayName}. The drift threshold is ${round(threshold, 2)}.`,
    reference: summary(ref, type),
    current: summary(cur, type),
    histogram: smallHistograms(pair, ref, cur),
  };
  if (pair.approximations.size) {
    result.approximation = pair.approximations.has('histogram')
      ? `computed from ${'10,000'}-bin mergeable histograms of all values`
      : `computed on a uniform sample of ${opts.exactLimit.toLocaleString('en-US')} values per side`;
  }
  return result;
}

function round(v: number, digits: number): string {
  return Number.isFinite(v) ? String(Math.round(v * 10 ** digits) / 10 ** digits) : String(v);
}

function summary(col: LoadedColumn, type: ColumnType): SideSummary {
  if (col.numeric) {
    const a = col.numeric;
    const distinct = a.distinctCounts();
    const s: SideSummary = { count: a.count, missing: a.missing + a.infinite, unique: distinct?.size ?? DISTINCT_CAP + 1 };
    if (!distinct) s.unique_at_least = true;
    if (type === 'num' && a.count > 0) {
      s.mean = a.mean;
      s.std = a.count > 1 ? Math.sqrt(a.m2 / (a.count - 1)) : 0;
      s.min = a.min;
      s.max = a.max;
    }
    return s;
  }
  const c = col.categorical!;
  return { count: c.count, missing: c.missing, unique: c.counts.size, ...(c.overflow ? { unique_at_least: true } : {}) };
}

function smallHistograms(pair: ColumnPair, ref: LoadedColumn, cur: LoadedColumn): { reference: SmallHistogram; current: SmallHistogram } {
  if (pair.type === 'num') return { reference: densityHistogram(ref), current: densityHistogram(cur) };
  const { keys, ref: r, cur: c } = pair.counts();
  let order = keys.map((_, i) => i).sort((a, b) => compareKeys(String(keys[a]), String(keys[b])));
  if (order.length > MAX_CATEGORIES_SHOWN) {
    const top = new Set([...order].sort((a, b) => r[b]! + c[b]! - (r[a]! + c[a]!)).slice(0, MAX_CATEGORIES_SHOWN));
    order = order.filter((i) => top.has(i));
  }
  const x: CategoryKey[] = order.map((i) => keys[i]!);
  return { reference: { x, y: order.map((i) => r[i]!) }, current: { x, y: order.map((i) => c[i]!) } };
}

/** numpy.histogram(finite values, bins=10, density=True): edges x (11), densities y (10). */
function densityHistogram(col: LoadedColumn): SmallHistogram {
  const a = col.numeric!;
  const edges = equalWidthEdges(a.min, a.max, SMALL_BINS);
  const counts = a.sketched ? rebin(a.sketch().numeric!.hist, edges) : histogramCounts(a.values(), edges);
  const total = counts.reduce((s, v) => s + v, 0);
  return { x: Array.from(edges), y: Array.from(counts, (v, i) => v / total / (edges[i + 1]! - edges[i]!)) };
}
