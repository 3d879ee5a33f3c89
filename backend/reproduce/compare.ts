import type { DatasetComparison, MetricComparison, ValueDifference } from '../api/reproduce';
import type { KeyValue, Metric } from '../api/mlflow';
import type { DatasetSource } from '../api/data';

/** Equal, or |a − b| ≤ tolerance · max(1, |a|, |b|): relative for large values, absolute below 1. */
export function compareMetrics(original: Metric[], reproduced: Metric[], tolerance: number): MetricComparison[] {
  const a = new Map(original.map((m) => [m.key, m.value]));
  const b = new Map(reproduced.map((m) => [m.key, m.value]));
  return [...new Set([...a.keys(), ...b.keys()])].sort().map((key) => {
    const x = a.get(key);
    const y = b.get(key);
    const c: MetricComparison = { key, status: 'missing' };
    if (x !== undefined) c.original = x;
    if (y !== undefined) c.reproduced = y;
    if (x === undefined || y === undefined) return c;
    if (Object.is(x, y) || x === y) c.status = 'equal';
    else if (Number.isFinite(x) && Number.isFinite(y) && Math.abs(x - y) <= tolerance * Math.max(1, Math.abs(x), Math.abs(y))) c.status = 'within';
    else c.status = 'differs';
    return c;
  });
}

export function compareParams(original: KeyValue[], reproduced: KeyValue[]): ValueDifference[] {
  const a = new Map(original.map((p) => [p.key, p.value]));
  const b = new Map(reproduced.map((p) => [p.key, p.value]));
  const out: ValueDifference[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (a.get(key) === b.get(key)) continue;
    const d: ValueDifference = { key };
    if (a.has(key)) d.original = a.get(key)!;
    if (b.has(key)) d.reproduced = b.get(key)!;
    out.push(d);
  }
  return out;
}

/** Dataset versions of the original run against those the re-run recorded, by path. */
export function compareDatasets(original: (DatasetSource & { state?: string })[], reproduced: DatasetSource[]): DatasetComparison[] {
  const now = new Map(reproduced.map((d) => [d.path, d]));
  return original.map((d) => {
    const r = now.get(d.path);
    const c: DatasetComparison = { path: d.path, hash_original: d.hash, identical: r?.hash === d.hash && d.state !== 'modified' };
    if (r) c.hash_reproduced = r.hash;
    if (d.state === 'modified') c.note = 'the original run started with this data modified but not added: its exact bytes were never versioned';
    else if (!r) c.note = 'the re-run did not record this dataset';
    return c;
  });
}
