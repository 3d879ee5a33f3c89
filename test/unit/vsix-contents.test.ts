// The VSIX carries everything the bundled CLI loads at run time: the local backend it starts serves
// models (worker bundle, TF.js wasm binaries, the scikit-learn predictor) and `cairn data` has its
// own bundle. A file missing from .vscodeignore's allow-list only fails for users of the VSIX.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const RUNTIME_FILES = [
  'dist/cli.js',
  'dist/cli-main.js',
  'dist/cli-data.js',
  'dist/checkpoint-worker.js',
  'dist/model-worker.js',
  'dist/sql-wasm.wasm',
  'dist/extension.js',
  'dist/tfjs/tfjs-backend-wasm.wasm',
  'dist/tfjs/tfjs-backend-wasm-simd.wasm',
  'dist/tfjs/cairn-model.js',
  'dist/webview/vscode.js',
  'sdk/python/cairn_serving/sklearn_predictor.py',
];

test('the VSIX holds every file the bundled CLI and extension load at run time', () => {
  const missingBuild = RUNTIME_FILES.filter((f) => !fs.existsSync(path.join(root, f)));
  assert.deepEqual(missingBuild, [], "build output missing: run 'npm run build' first");
  const listed = execFileSync(path.join(root, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim());
  assert.deepEqual(RUNTIME_FILES.filter((f) => !listed.includes(f)), []);
  assert.ok(!listed.some((l) => l.startsWith('node_modules/') || l.startsWith('backend/') || l.startsWith('test/')), 'no sources or node_modules in the VSIX');
});
