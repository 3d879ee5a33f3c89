// Entry of dist/tfjs/tfjs-browser.js: TF.js + the wasm backend for pages, as one script that sets
// `tf` (with `tf.wasm.setWasmPaths`). Built by esbuild instead of shipping tf.min.js, whose
// polyfills evaluate strings and so break under a strict Content-Security-Policy.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

(globalThis as Record<string, unknown>)['tf'] = { ...tf, wasm: { setWasmPaths } };
