/**
 * The argv of `cairn run` (issue 3's CLI contract):
 *   node <extension>/dist/cli.js run [--experiment NAME] [--param k=v …] -- <cmd…>
 * Pure, so it is unit-tested.
 */
export interface TrackRequest {
  nodePath: string;
  cliPath: string;
  experiment?: string;
  params: { key: string; value: string }[];
  command: string[];
}

export function cairnRunArgv(req: TrackRequest): { file: string; args: string[] } {
  const args = [req.cliPath, 'run'];
  if (req.experiment) args.push('--experiment', req.experiment);
  for (const p of req.params) args.push('--param', `${p.key}=${p.value}`);
  args.push('--', ...req.command);
  return { file: req.nodePath, args };
}

/** Parses `lr=0.01 epochs=5 name="a b"` into params; throws with a clear message on a bad token. */
export function parseParams(text: string): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  const re = /\s*([^\s=]+)=(?:"([^"]*)"|'([^']*)'|(\S*))/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(text)) !== null) {
    out.push({ key: m[1]!, value: m[2] ?? m[3] ?? m[4] ?? '' });
    last = re.lastIndex;
  }
  const rest = text.slice(last).trim();
  if (rest) throw new Error(`expected key=value pairs separated by spaces, could not read '${rest}'`);
  return out;
}

export function formatParams(params: { key: string; value: string }[]): string {
  return params.map((p) => `${p.key}=${/[\s"']/.test(p.value) ? `"${p.value.replace(/"/g, '')}"` : p.value}`).join(' ');
}
