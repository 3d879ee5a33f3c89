import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EnvironmentFingerprint } from '../api/run-record';
import type { CommandLine } from './command-line';

/** Lock and requirements files whose hashes pin the dependencies a run used. */
export const LOCK_FILES = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'requirements.txt',
  'requirements-dev.txt',
  'poetry.lock',
  'Pipfile.lock',
  'uv.lock',
  'pdm.lock',
  'pyproject.toml',
  'environment.yml',
  'conda-lock.yml',
];

/** Variables that change a run's results or speed; anything secret-looking is left out. */
const ENV_PREFIXES = ['CUDA_', 'CUDNN_', 'NVIDIA_', 'OMP_', 'MKL_', 'OPENBLAS_', 'TF_', 'TORCH_', 'PYTORCH_', 'XLA_', 'JAX_', 'HF_', 'TFJS_', 'CAIRN_', 'MLFLOW_'];
const ENV_NAMES = new Set(['PYTHONHASHSEED', 'PYTHONPATH', 'NODE_OPTIONS', 'NODE_ENV', 'VIRTUAL_ENV', 'CONDA_DEFAULT_ENV', 'LANG', 'TZ', 'SEED']);
const SECRET = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_?KEY|ACCESS_?KEY|AUTH/i;

export function selectEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || SECRET.test(k)) continue;
    if (ENV_NAMES.has(k) || ENV_PREFIXES.some((p) => k.startsWith(p))) out[k] = v;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function run(cmd: string, args: string[], cwd: string, timeoutMs = 15_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => resolve(err ? undefined : (stdout || stderr).trim()));
  });
}

/** `pip freeze` without needing pip: every installed distribution as `name==version`, sorted. */
const FREEZE = `import importlib.metadata as m
seen = {}
for d in m.distributions():
    n = d.metadata["Name"]
    if n and n.lower() not in seen: seen[n.lower()] = f"{n}=={d.version}"
print("\\n".join(v for _, v in sorted(seen.items())))`;

export interface Fingerprint {
  environment: EnvironmentFingerprint;
  /** For Python runs: the installed distributions of the interpreter the command used. */
  pipFreeze?: string;
}

/**
 * The environment a run used: OS, host, user, the interpreter of the command (Python: version
 * and installed distributions; Node: version), hashes of lock files in the workspace and cwd,
 * and configuration-like variables.
 */
export async function fingerprint(cmd: { argv: readonly string[]; parsed: CommandLine }, dirs: { workspace: string; cwd: string }, env: NodeJS.ProcessEnv): Promise<Fingerprint> {
  const environment: EnvironmentFingerprint = {
    platform: os.platform(),
    arch: os.arch(),
    hostname: os.hostname(),
    user: safeUser(),
    lockFiles: lockFileHashes([dirs.workspace, dirs.cwd]),
    env: selectEnv(env),
  };
  let pipFreeze: string | undefined;
  if (cmd.parsed.interpreter === 'python') {
    const python = cmd.argv.find((a) => /^python(\d+(\.\d+)*)?$/.test(path.basename(a))) ?? 'python3';
    const [version, freeze] = await Promise.all([run(python, ['-c', 'import sys; print(sys.version.split()[0])'], dirs.cwd), run(python, ['-c', FREEZE], dirs.cwd)]);
    if (version) environment.python = version;
    pipFreeze = freeze;
  }
  if (cmd.parsed.interpreter === 'node') {
    const node = cmd.argv[0] && path.basename(cmd.argv[0]) === 'node' ? cmd.argv[0] : 'node';
    environment.node = (await run(node, ['--version'], dirs.cwd)) ?? process.version;
  } else environment.node = process.version;
  return { environment, pipFreeze };
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env['USER'] ?? '';
  }
}

export function lockFileHashes(dirs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const base = dirs[0]!;
  for (const dir of new Set(dirs)) {
    for (const name of LOCK_FILES) {
      const file = path.join(dir, name);
      try {
        out[path.relative(base, file)] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
      } catch {
        // absent
      }
    }
  }
  return out;
}
