/** `1.5 KiB`, `12 MiB`: `digits` decimals below 10 of a unit, one fewer above. */
export function formatBytes(n: number, digits = 1): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? digits : Math.max(0, digits - 1))} ${units[i]}`;
}
