/** Least-squares polynomial fit of degree 2 (numpy.polyfit(x, y, 2)); highest power first. */
export function polyfit2(x: readonly number[], y: readonly number[]): [number, number, number] {
  // Columns x², x, 1 scaled to unit norm as numpy does, then the normal equations (3×3).
  const cols = [x.map((v) => v * v), x.map((v) => v), x.map(() => 1)];
  const scale = cols.map((c) => Math.sqrt(c.reduce((s, v) => s + v * v, 0)));
  const A = cols.map((c, j) => c.map((v) => v / scale[j]!));
  const M = [0, 1, 2].map((i) => [0, 1, 2].map((j) => A[i]!.reduce((s, v, k) => s + v * A[j]![k]!, 0)));
  const r = [0, 1, 2].map((i) => A[i]!.reduce((s, v, k) => s + v * y[k]!, 0));
  const c = solve3(M, r);
  return [c[0]! / scale[0]!, c[1]! / scale[1]!, c[2]! / scale[2]!];
}

function solve3(M: number[][], r: number[]): number[] {
  const a = M.map((row, i) => [...row, r[i]!]);
  for (let col = 0; col < 3; col++) {
    let piv = col;
    for (let i = col + 1; i < 3; i++) if (Math.abs(a[i]![col]!) > Math.abs(a[piv]![col]!)) piv = i;
    [a[col], a[piv]] = [a[piv]!, a[col]!];
    for (let i = col + 1; i < 3; i++) {
      const f = a[i]![col]! / a[col]![col]!;
      for (let j = col; j < 4; j++) a[i]![j]! -= f * a[col]![j]!;
    }
  }
  const out = [0, 0, 0];
  for (let i = 2; i >= 0; i--) {
    let s = a[i]![3]!;
    for (let j = i + 1; j < 3; j++) s -= a[i]![j]! * out[j]!;
    out[i] = s / a[i]![i]!;
  }
  return out;
}

export function polyval(c: readonly number[], x: number): number {
  let y = 0;
  for (const v of c) y = y * x + v;
  return y;
}
