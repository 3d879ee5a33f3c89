// Bundles the backend/CLI, the checkpoint worker, the extension and the webviews with esbuild.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');
fs.mkdirSync(dist, { recursive: true });

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
};

const builds = [
  { ...node, entryPoints: { 'cli-main': 'backend/cli/main.ts', 'checkpoint-worker': 'backend/store/sqljs/checkpoint-worker.ts' }, outdir: dist },
  // dist/cli.js is a launcher: `cairn data` loads only cli-data.js (fast start), everything else cli-main.js.
  { ...node, entryPoints: { cli: 'backend/cli/launch.ts', 'cli-data': 'backend/cli/data-main.ts' }, outdir: dist },
  { ...node, entryPoints: { extension: 'extension/extension.ts' }, outdir: dist, external: ['vscode'] },
  { ...node, entryPoints: { 'model-worker': 'backend/serving/runtimes/model-worker.ts' }, outdir: dist },
  { ...node, entryPoints: { 'tfjs-node-wasm': 'backend/serving/export/edge-tf-entry.ts' }, outdir: path.join(dist, 'tfjs'), sourcemap: false, minify: true },
  { ...node, platform: 'browser', format: 'iife', entryPoints: { 'tfjs-browser': 'backend/serving/export/browser-tf-entry.ts' }, outdir: path.join(dist, 'tfjs'), sourcemap: false, minify: true },
];

// Webviews (VS Code panels) and the standalone dashboard: the same Lit components, two entries.
const webviewDir = path.join(dist, 'webview');
fs.mkdirSync(webviewDir, { recursive: true });
builds.push({
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  loader: { '.css': 'text' },
  entryPoints: { vscode: 'webview-ui/entries/vscode.ts', dashboard: 'webview-ui/entries/dashboard.ts' },
  outdir: webviewDir,
});
fs.copyFileSync(path.join(root, 'webview-ui/styles/panel.css'), path.join(webviewDir, 'panel.css'));

for (const file of ['sql-wasm.wasm']) fs.copyFileSync(path.join(root, 'node_modules/sql.js/dist', file), path.join(dist, file));
// TF.js: the wasm backend's binaries next to the bundles, and the browser builds `cairn export` ships.
fs.mkdirSync(path.join(dist, 'tfjs'), { recursive: true });
for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  fs.copyFileSync(path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist', file), path.join(dist, 'tfjs', file));
}
for (const file of ['cairn-model.js', 'demo.html', 'demo.js']) fs.copyFileSync(path.join(root, 'backend/serving/export', file), path.join(dist, 'tfjs', file));

const started = Date.now();
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  console.log(`built dist/ in ${Date.now() - started} ms`);
}
