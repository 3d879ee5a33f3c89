import * as fs from 'node:fs';
import * as path from 'node:path';

export const CLASSES = ['drizzle', 'fog', 'rain', 'snow', 'sun'] as const;
export const FEATURES = ['precipitation', 'temp_max', 'temp_min', 'wind', 'month_sin', 'month_cos'] as const;

export interface Split {
  x: number[][];
  y: number[];
  dates: string[];
}

/** vega-datasets' Seattle weather (2012–2015): one row per day. */
export function defaultDataPath(): string {
  // The package exports only its JS entry (build/index.js); the data folder sits beside build/.
  return path.join(path.dirname(require.resolve('vega-datasets')), '..', 'data', 'seattle-weather.csv');
}

/**
 * Reads the CSV into features (precipitation, temperatures, wind, and the month as a point on a
 * circle so December sits next to January) and class indices, split by year: 2012–2013 train,
 * 2014 validation, 2015 test.
 */
export function loadSeattleWeather(file = defaultDataPath()): { train: Split; val: Split; test: Split } {
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const cols = header!.split(',');
  const at = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column '${name}'`);
    return i;
  };
  const [iDate, iPrec, iMax, iMin, iWind, iWeather] = ['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather'].map(at) as number[];
  const splits = { train: empty(), val: empty(), test: empty() };
  for (const row of rows) {
    const c = row.split(',');
    const date = c[iDate!]!;
    const label = CLASSES.indexOf(c[iWeather!] as (typeof CLASSES)[number]);
    if (label < 0) throw new Error(`${file}: unknown weather '${c[iWeather!]}' on ${date}`);
    const month = Number(date.slice(5, 7));
    const angle = (2 * Math.PI * (month - 1)) / 12;
    const x = [Number(c[iPrec!]), Number(c[iMax!]), Number(c[iMin!]), Number(c[iWind!]), Math.sin(angle), Math.cos(angle)];
    const year = date.slice(0, 4);
    const split = year === '2012' || year === '2013' ? splits.train : year === '2014' ? splits.val : splits.test;
    split.x.push(x);
    split.y.push(label);
    split.dates.push(date);
  }
  return splits;
}

function empty(): Split {
  return { x: [], y: [], dates: [] };
}

/** Mean and standard deviation of each feature over the training rows. */
export function standardizer(x: number[][]): (row: number[]) => number[] {
  const n = x.length;
  const d = x[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + r[j]!, 0) / n);
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(x.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / n) || 1);
  return (row) => row.map((v, j) => (v - mean[j]!) / std[j]!);
}

/** A small seeded PRNG (mulberry32), so shuffles are the same for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
