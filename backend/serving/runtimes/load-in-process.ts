import { loadIsolatedRuntime } from './load-runtime';
import { detectRuntime } from './model-folder';
import type { ModelRuntime } from './model-runtime';
import { TfjsRuntime } from './tfjs-runtime';

/** Loads a TF.js model in this thread (the benchmark's baseline, the edge bundle's check); other kinds run as processes anyway. */
export async function loadInProcessRuntime(dir: string): Promise<ModelRuntime> {
  const kind = detectRuntime(dir);
  if (kind === 'tfjs-layers' || kind === 'tfjs-graph') return TfjsRuntime.load(dir, kind);
  return loadIsolatedRuntime(dir);
}
