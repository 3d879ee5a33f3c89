import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type Tf = typeof tf;

const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

let ready: Promise<{ tf: Tf; backend: string }> | undefined;

/**
 * TF.js on the WebAssembly backend (its .wasm files ship in the npm package, or next to the bundle
 * in `dist/`). `@tensorflow/tfjs-node` is used instead only when it happens to be installed and
 * `CAIRN_TFJS_NODE` is not `0`; it is never required.
 */
export function initTf(): Promise<{ tf: Tf; backend: string }> {
  return (ready ??= (async () => {
    if (process.env['CAIRN_TFJS_NODE'] !== '0' && (await tryNativeBackend())) return { tf, backend: tf.getBackend() };
    const dir = wasmDir();
    setWasmPaths(dir.endsWith(path.sep) ? dir : dir + path.sep);
    // setBackend resolves to false (it does not throw) when the .wasm files cannot be loaded.
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error(`the TF.js wasm backend did not start: are ${WASM_FILES.join(', ')} in ${dir}?`);
    await tf.ready();
    return { tf, backend: tf.getBackend() };
  })());
}

/** Where the .wasm binaries are: next to this bundle (`dist/`), else in the installed package. */
export function wasmDir(): string {
  const candidates = [__dirname, path.join(__dirname, 'tfjs')];
  for (const c of candidates) if (fs.existsSync(path.join(c, WASM_FILES[0]!))) return c;
  try {
    return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  } catch {
    throw new Error(`cannot find the TF.js wasm binaries (${WASM_FILES[0]}) next to ${__dirname} or in node_modules/@tensorflow/tfjs-backend-wasm`);
  }
}

export const wasmFiles = (): string[] => WASM_FILES.map((f) => path.join(wasmDir(), f));

async function tryNativeBackend(): Promise<boolean> {
  const name = '@tensorflow/tfjs-node';
  try {
    createRequire(__filename).resolve(name);
  } catch {
    return false;
  }
  try {
    createRequire(__filename)(name);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}
