// The deterministic generator behind test/fixtures/drift/oracle.json (make-oracle.py has the same
// one): xorshift32 plus only IEEE basic operations, so Python and TypeScript agree bit for bit.
export type GenSpec =
  | (string | number | boolean)[]
  | { kind: 'normal' | 'uniform' | 'int' | 'cat'; seed: number; n: number; mean?: number; sd?: number; lo?: number; hi?: number; k?: number; labels?: string[]; decimals?: number };

export function generate(spec: GenSpec): (string | number | boolean)[] {
  if (Array.isArray(spec)) return spec;
  let s = spec.seed >>> 0;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  const out: (string | number)[] = [];
  for (let i = 0; i < spec.n; i++) {
    let v: number | string;
    if (spec.kind === 'normal') {
      let t = 0;
      for (let j = 0; j < 12; j++) t += next();
      v = (spec.mean ?? 0) + (spec.sd ?? 1) * (t - 6);
    } else if (spec.kind === 'uniform') v = (spec.lo ?? 0) + ((spec.hi ?? 1) - (spec.lo ?? 0)) * next();
    else if (spec.kind === 'int') v = Math.floor(next() * spec.k!) + (spec.lo ?? 0);
    else v = spec.labels![Math.floor(next() * spec.labels!.length)]!;
    if (typeof v === 'number' && spec.decimals !== undefined) {
      const f = 10 ** spec.decimals;
      v = Math.floor(v * f) / f;
    }
    out.push(v);
  }
  return out;
}
