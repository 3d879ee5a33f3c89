import * as path from 'node:path';

/**
 * What a tracked command line says about itself: the interpreter, the script it runs, and the
 * hyperparameters passed as `--lr 0.01`, `--lr=0.01`, `-lr 0.01`, `lr=0.01` (Hydra-style, also
 * `+model.depth=3`) or bare flags (`--augment` → `true`).
 */
export interface CommandLine {
  /** `python`, `node`, … when the command runs a script through a known interpreter. */
  interpreter?: 'python' | 'node' | 'shell' | 'other';
  /** The script or module the command runs (`train.py`, `-m pkg.train` → `pkg.train`), else argv[0]. */
  source: string;
  params: Map<string, string>;
}

const PYTHON = /^python(\d+(\.\d+)*)?$/;
const NODE_LIKE = new Set(['node', 'nodejs', 'bun', 'tsx', 'ts-node', 'deno']);
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'Rscript', 'julia', 'ruby', 'perl']);
/** Tools that run another command: `uv run python x.py`, `npx tsx x.ts`, `poetry run …`. */
const WRAPPERS = new Set(['npx', 'uv', 'poetry', 'pipenv', 'conda', 'pixi', 'hatch', 'pdm', 'rye', 'env', 'nice', 'time', 'torchrun', 'accelerate']);
const WRAPPER_VERBS = new Set(['run', 'exec', 'launch']);
/** Interpreter options that take a separate value (`python -W ignore x.py`, `node -r ts-node/register x.ts`). */
const OPTION_WITH_VALUE = new Set(['-W', '-X', '-Q', '-r', '--require', '--import', '--loader', '-n', '-p', '--name', '--prefix']);
const BARE_PARAM = /^\+{0,2}([A-Za-z_][\w.\-/]*)=(.*)$/s;
const NUMBER = /^-\d|^-\.\d/;

function interpreterOf(token: string): CommandLine['interpreter'] | 'wrapper' | undefined {
  const base = path.basename(token);
  if (PYTHON.test(base)) return 'python';
  if (NODE_LIKE.has(base)) return 'node';
  if (SHELLS.has(base)) return 'shell';
  if (WRAPPERS.has(base)) return 'wrapper';
  return undefined;
}

export function parseCommandLine(argv: readonly string[]): CommandLine {
  let i = 0;
  let interpreter: CommandLine['interpreter'];
  let source: string | undefined;
  // Walk past wrappers and interpreters (and their options) to the script.
  while (i < argv.length && source === undefined) {
    const kind = interpreterOf(argv[i]!);
    if (kind === undefined) {
      if (interpreter === undefined) interpreter = 'other';
      source = argv[i++];
      break;
    }
    if (kind !== 'wrapper') interpreter = kind;
    i++;
    while (i < argv.length) {
      const t = argv[i]!;
      if (kind === 'wrapper' && (WRAPPER_VERBS.has(t) || /^\w+=/.test(t))) i++;
      else if (t === '-m' && kind === 'python') {
        source = argv[i + 1];
        i += 2;
        break;
      } else if (t === '-c' || t === '-e' || t === '--eval') {
        source = `${argv[0]} ${t}`;
        i += 2;
        break;
      } else if (t.startsWith('-')) i += OPTION_WITH_VALUE.has(t) ? 2 : 1;
      else break;
    }
  }
  return { interpreter, source: source ?? argv[0] ?? '', params: parseParamTokens(argv.slice(i)) };
}

/** Params from the tokens after the script. Later values win; positional arguments are skipped. */
export function parseParamTokens(tokens: readonly string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '--') continue;
    if (t.startsWith('-') && t.length > 1 && !NUMBER.test(t)) {
      const body = t.replace(/^--?/, '');
      const eq = body.indexOf('=');
      if (eq > 0) {
        params.set(body.slice(0, eq), body.slice(eq + 1));
        continue;
      }
      if (body === '') continue;
      const next = tokens[i + 1];
      if (next !== undefined && (!next.startsWith('-') || NUMBER.test(next)) && !BARE_PARAM.test(next)) {
        params.set(body, next);
        i++;
      } else params.set(body, 'true');
      continue;
    }
    const m = BARE_PARAM.exec(t);
    if (m) params.set(m[1]!, m[2]!);
  }
  return params;
}
