import * as fs from 'node:fs';
import * as path from 'node:path';
import { invalidParam } from '../../core/errors';
import { signatureOfFolder } from '../../registry/signature';
import { detectRuntime, SIGNATURE_FILE } from '../runtimes/model-folder';
import type { ModelSignature } from '../../api/registry';

/** Files of the runtime that `npm run build` puts in dist/tfjs/. */
const RUNTIME_FILES = [
  'tfjs-node-wasm.js', 'tfjs-browser.js',
  'tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm',
  'cairn-model.js', 'demo.html', 'demo.js',
];

/**
 * Writes a self-contained folder that predicts with the model in Node (`require('./cairn-model.js')`)
 * or a browser (`demo.html`), with no Cairn and no node_modules: the model files, its signature,
 * TF.js with the wasm backend, and the loader.
 */
export function exportTfjsBundle(modelDir: string, outDir: string, signature?: ModelSignature): { files: string[] } {
  const kind = detectRuntime(modelDir);
  if (kind !== 'tfjs-layers' && kind !== 'tfjs-graph') throw invalidParam(`Only TF.js models export as tfjs-bundle; this model is served by the ${kind} runtime.`);
  if (fs.existsSync(outDir) && fs.readdirSync(outDir).length > 0) throw invalidParam(`${outDir} exists and is not empty; choose a new folder for the bundle.`);
  const assets = runtimeAssetsDir();
  fs.mkdirSync(outDir, { recursive: true });
  const json = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8')) as { weightsManifest?: { paths: string[] }[] };
  const modelFiles = ['model.json', ...(json.weightsManifest ?? []).flatMap((g) => g.paths)];
  for (const f of modelFiles) {
    const target = path.join(outDir, f);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(modelDir, f), target);
  }
  const sig = signature ?? signatureOfFolder(modelDir);
  if (sig) fs.writeFileSync(path.join(outDir, SIGNATURE_FILE), JSON.stringify(sig, null, 2));
  for (const f of RUNTIME_FILES) fs.copyFileSync(path.join(assets, f), path.join(outDir, f));
  fs.renameSync(path.join(outDir, 'demo.html'), path.join(outDir, 'index.html'));
  fs.writeFileSync(path.join(outDir, 'README.md'), readme(sig));
  return { files: fs.readdirSync(outDir).sort() };
}

/** dist/tfjs (next to the CLI bundle, or found above the sources after `npm run build`). */
function runtimeAssetsDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, 'tfjs'), path.join(dir, 'dist', 'tfjs')]) {
      if (fs.existsSync(path.join(candidate, 'tfjs-node-wasm.js'))) return candidate;
    }
    if (path.dirname(dir) === dir) throw new Error(`the TF.js runtime files for export are missing (dist/tfjs/tfjs-node-wasm.js): run 'npm run build'`);
  }
}

function readme(sig: ModelSignature | undefined): string {
  const example = sig?.columns ? `[{ ${sig.columns.map((c) => `${c}: 0`).join(', ')} }]` : '[[0, 0, 0, 0]]';
  return `# Exported model

Predicts with TF.js on the WebAssembly backend; nothing else to install.

Node (18+):

\`\`\`js
const { load } = require('./cairn-model.js');
const model = await load();
console.log(await model.predict(${example}));
\`\`\`

Browser: serve this folder over HTTP (any static server) and open \`index.html\`; or include
\`tfjs-browser.js\` and \`cairn-model.js\` and call \`cairnModel.load()\`. Serve \`.wasm\` files as
\`application/wasm\`; a Content-Security-Policy needs \`script-src 'self' 'wasm-unsafe-eval'\`.

Inputs and outputs: see \`signature.json\`${sig?.columns ? ` (columns: ${sig.columns.join(', ')})` : ''}${sig?.labels ? `; \`classify(rows)\` returns one of ${sig.labels.join(', ')}` : ''}.
`;
}
