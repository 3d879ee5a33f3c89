// Entry of dist/tfjs/tfjs-node-wasm.js: TF.js + the wasm backend as one CommonJS file, so an
// exported bundle predicts in Node with no node_modules at all.
export * as tf from '@tensorflow/tfjs';
export { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
