import { detectRuntime } from './model-folder';
import type { ModelRuntime } from './model-runtime';
import { ProcessRuntime } from './process-runtime';
import { WorkerRuntime } from './worker-runtime';

/**
 * Loads a model folder isolated from the caller: TF.js in a worker thread, process and
 * scikit-learn models in their own child process.
 */
export async function loadIsolatedRuntime(dir: string): Promise<ModelRuntime> {
  const kind = detectRuntime(dir);
  switch (kind) {
    case 'tfjs-layers':
    case 'tfjs-graph':
      return WorkerRuntime.load(dir, kind);
    case 'process':
      return ProcessRuntime.load(dir);
    case 'sklearn':
      return ProcessRuntime.loadSklearn(dir);
  }
}
