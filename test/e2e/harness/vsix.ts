// Builds the VSIX exactly as a release would (vsce, offline), once per test process.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './root';

let built: string | undefined;

export function buildVsix(): string {
  if (built) return built;
  if (!fs.existsSync(path.join(ROOT, 'dist', 'extension.js'))) throw new Error("dist/extension.js is missing: run 'npm run build' first");
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-vsix-')), 'cairn.vsix');
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--skip-license', '--out', out], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
  built = out;
  return out;
}
