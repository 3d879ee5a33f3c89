import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelCandidate, ModelFlavor } from '../api/run-record';

const BY_EXTENSION: Record<string, ModelFlavor> = {
  '.onnx': 'onnx',
  '.joblib': 'sklearn',
  '.pkl': 'pickle',
  '.pickle': 'pickle',
  '.pt': 'pytorch',
  '.pth': 'pytorch',
  '.h5': 'keras',
  '.keras': 'keras',
};

/** A TF.js model.json holds a topology or a weights manifest (a graph model has both). */
function isTfjsModelJson(file: string): boolean {
  try {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    return typeof doc === 'object' && doc !== null && ('modelTopology' in doc || 'weightsManifest' in doc);
  } catch {
    return false;
  }
}

/**
 * Model files among a run's outputs. `files` are paths relative to `baseDir`; a candidate's
 * path is `prefix` + the file (or, for TF.js and SavedModel, the folder that holds the model).
 */
export function findModelCandidates(files: string[], baseDir: string, prefix: string): ModelCandidate[] {
  const found = new Map<string, ModelFlavor>();
  for (const rel of files) {
    const name = path.posix.basename(rel);
    const dir = path.posix.dirname(rel);
    const folder = dir === '.' ? prefix.replace(/\/$/, '') : `${prefix}${dir}`;
    if (name === 'model.json' && isTfjsModelJson(path.join(baseDir, rel))) found.set(folder, 'tfjs');
    else if (name === 'saved_model.pb' || name === 'saved_model.pbtxt') found.set(folder, 'tensorflow');
    else {
      const flavor = BY_EXTENSION[path.posix.extname(name).toLowerCase()];
      if (flavor) found.set(`${prefix}${rel}`, flavor);
    }
  }
  return [...found].map(([p, flavor]) => ({ path: p, flavor }));
}
