/** The params table of Compare: one row per param key, marking keys whose values differ. Pure. */
import type { Run } from '../../backend/api/mlflow';

export interface ParamRow {
  key: string;
  values: (string | undefined)[];
  differs: boolean;
}

export function paramsDiff(runs: Run[]): ParamRow[] {
  const keys = new Set<string>();
  for (const r of runs) for (const p of r.data.params) keys.add(p.key);
  return [...keys].sort().map((key) => {
    const values = runs.map((r) => r.data.params.find((p) => p.key === key)?.value);
    return { key, values, differs: new Set(values).size > 1 };
  });
}

/** An axis of the parallel-coordinates chart: numeric (min..max) or categorical (sorted values). */
export type Axis = { key: string; kind: 'number'; min: number; max: number } | { key: string; kind: 'category'; values: string[] };

export function axisFor(key: string, values: (string | number | undefined)[]): Axis {
  const present = values.filter((v): v is string | number => v !== undefined && v !== '');
  const nums = present.map(Number);
  if (present.length > 0 && nums.every((n) => Number.isFinite(n))) {
    const min = Math.min(...nums);
    const max = Math.max(...nums);
    return { key, kind: 'number', min, max: max === min ? min + 1 : max };
  }
  return { key, kind: 'category', values: [...new Set(present.map(String))].sort() };
}

/** Position 0..1 of a value on an axis (undefined when missing). */
export function axisPosition(axis: Axis, v: string | number | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (axis.kind === 'number') {
    const n = Number(v);
    return Number.isFinite(n) ? (n - axis.min) / (axis.max - axis.min) : undefined;
  }
  const i = axis.values.indexOf(String(v));
  if (i < 0) return undefined;
  return axis.values.length === 1 ? 0.5 : i / (axis.values.length - 1);
}
