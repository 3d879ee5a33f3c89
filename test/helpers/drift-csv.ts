// Two generated CSV tables for drift tests: `temp` drawn anew and shifted by `shift` × its standard
// deviation in the current table; `wind` and `weather` are the same values on both sides, so
// exactly one column drifts whatever the row count.
import { generate } from './drift-gen';

function csv(n: number, seed: number, tempMean: number): string {
  const temp = generate({ kind: 'normal', seed, n, mean: tempMean, sd: 5, decimals: 2 });
  const wind = generate({ kind: 'normal', seed: 7, n, mean: 3, sd: 1, decimals: 2 });
  const weather = generate({ kind: 'cat', seed: 9, n, labels: ['sun', 'rain', 'fog', 'snow'] });
  const rows = temp.map((t, i) => `${t},${wind[i]},${weather[i]}`);
  return `temp,wind,weather\n${rows.join('\n')}\n`;
}

/** Reference and current CSV text; `shift` moves the current `temp` mean by shift × 5. */
export function driftCsvPair(n = 600, shift = 2): { reference: string; current: string } {
  return { reference: csv(n, 11, 15), current: csv(n, 101, 15 + shift * 5) };
}
