// The workspaces the e2e tests open: the repository's examples/ (the UI test tracks a real example),
// or a self-made one with a tiny training script under git (one committed version plus an
// uncommitted change, so the code diff has both). $CAIRN_E2E_WORKSPACE + $CAIRN_E2E_SCRIPT override.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface E2eWorkspace {
  dir: string;
  /** The training script, relative to dir. */
  script: string;
  /** True when this harness made (and may delete) the folder. */
  owned: boolean;
  /** Removes what the test left behind. */
  cleanup(): void;
}

import { ROOT } from './root';

/** The repository's examples/, tracking the scikit-learn example; its .cairn store is removed afterwards. */
export function examplesWorkspace(): E2eWorkspace {
  const dir = path.join(ROOT, 'examples');
  const store = path.join(dir, '.cairn');
  const hadStore = fs.existsSync(store);
  return { dir, script: 'weather-sklearn/train.py', owned: false, cleanup: () => hadStore || fs.rmSync(store, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }) };
}

const FIXTURES = path.join(__dirname, '..', 'fixtures');

export function e2eWorkspace(fallback: () => E2eWorkspace = selfMadeWorkspace): E2eWorkspace {
  const given = process.env['CAIRN_E2E_WORKSPACE'];
  if (given) {
    const script = process.env['CAIRN_E2E_SCRIPT'];
    if (!script) throw new Error('CAIRN_E2E_WORKSPACE is set but CAIRN_E2E_SCRIPT (the example to track, relative to it) is not');
    if (!fs.existsSync(path.join(given, script))) throw new Error(`${path.join(given, script)} does not exist`);
    return { dir: path.resolve(given), script, owned: false, cleanup: () => {} };
  }
  return fallback();
}

function selfMadeWorkspace(): E2eWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-e2e-ws-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  fs.copyFileSync(path.join(FIXTURES, 'train.js'), path.join(dir, 'train.js'));
  fs.writeFileSync(path.join(dir, 'README.md'), '# e2e workspace\n');
  fs.writeFileSync(path.join(dir, '.gitignore'), '.cairn/\n');
  git('init', '-q');
  git('-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', 'add', '.');
  git('-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', 'commit', '-qm', 'initial');
  // An uncommitted change: the runs record it as cairn/code.diff.
  const src = fs.readFileSync(path.join(dir, 'train.js'), 'utf8').replace('const lr = Number(process.env.LR ?? 0.05);', 'const lr = Number(process.env.LR ?? 0.04); // tuned');
  fs.writeFileSync(path.join(dir, 'train.js'), src);
  return { dir, script: 'train.js', owned: true, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
