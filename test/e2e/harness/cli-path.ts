// Which `cairn` CLI Track this run uses in the e2e: the bundled one when it has `run` (issue 3),
// else the interim stand-in in fixtures/ (see its header). Logged, so a report shows which ran.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const BUNDLED_CLI = path.join(ROOT, 'dist', 'cli.js');

export function trackCliPath(): { path: string; interim: boolean } {
  const r = spawnSync(process.execPath, [BUNDLED_CLI, 'run', '--help'], { encoding: 'utf8' });
  if (r.status === 0) return { path: '', interim: false };
  return { path: path.join(__dirname, '..', 'fixtures', 'interim-cairn-run.mjs'), interim: true };
}
