import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import type { ModelSignature } from '../../api/registry';
import { invalidParam } from '../../core/errors';
import type { RuntimeKind } from './model-runtime';

/** `cairn-model.yaml`: a model served by a command speaking JSON lines on stdin/stdout. */
export interface ProcessModelSpec {
  /** argv; a relative program path is resolved against the model folder. */
  command: string[];
  env?: Record<string, string>;
  /** Optional signature overrides (the process may also announce one in its ready line). */
  signature?: Partial<ModelSignature>;
}

export const PROCESS_SPEC_FILE = 'cairn-model.yaml';
export const SIGNATURE_FILE = 'signature.json';

/** Which runtime serves a model folder, judged by its files. */
export function detectRuntime(dir: string): RuntimeKind {
  if (fs.existsSync(path.join(dir, PROCESS_SPEC_FILE))) return 'process';
  const modelJson = path.join(dir, 'model.json');
  if (fs.existsSync(modelJson)) {
    const json = JSON.parse(fs.readFileSync(modelJson, 'utf8')) as { format?: string; modelTopology?: { class_name?: string; node?: unknown } };
    if (json.format === 'graph-model' || Array.isArray(json.modelTopology?.node)) return 'tfjs-graph';
    return 'tfjs-layers';
  }
  if (sklearnPickle(dir)) return 'sklearn';
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).join(', ') : 'nothing (the folder does not exist)';
  throw invalidParam(
    `Cannot tell how to serve the model in ${dir}: expected ${PROCESS_SPEC_FILE} (a JSON-lines command), model.json (TF.js) or a scikit-learn pickle (model.pkl / MLmodel with an sklearn flavor); found ${files}.`,
  );
}

/** The pickle of a scikit-learn model folder: MLmodel's sklearn flavor, else `model.pkl`, else the only `*.pkl`. */
export function sklearnPickle(dir: string): string | undefined {
  const mlmodel = readMlModel(dir);
  const flavor = (mlmodel?.['flavors'] as Record<string, { pickled_model?: string }> | undefined)?.['sklearn'];
  if (flavor?.pickled_model && fs.existsSync(path.join(dir, flavor.pickled_model))) return flavor.pickled_model;
  if (fs.existsSync(path.join(dir, 'model.pkl'))) return 'model.pkl';
  const pickles = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.pkl') || f.endsWith('.pickle')) : [];
  return pickles.length === 1 ? pickles[0] : undefined;
}

export function readProcessSpec(dir: string): ProcessModelSpec {
  const file = path.join(dir, PROCESS_SPEC_FILE);
  const doc = YAML.parse(fs.readFileSync(file, 'utf8')) as Partial<ProcessModelSpec> | null;
  const command = doc?.command;
  if (!Array.isArray(command) || command.length === 0 || !command.every((c) => typeof c === 'string')) {
    throw invalidParam(`${file}: 'command' must be a non-empty list of strings, e.g. command: ["python3", "predict.py"].`);
  }
  return { command, env: doc?.env, signature: doc?.signature };
}

/** MLflow's `MLmodel` file, if present. */
export function readMlModel(dir: string): Record<string, unknown> | undefined {
  const file = path.join(dir, 'MLmodel');
  if (!fs.existsSync(file)) return undefined;
  return YAML.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** A signature saved with the model (`signature.json`), if any. */
export function readSignatureFile(dir: string): ModelSignature | undefined {
  const file = path.join(dir, SIGNATURE_FILE);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ModelSignature;
}

/** Resolves a path named by a model file inside the model folder, refusing escapes. */
export function insideFolder(dir: string, rel: string): string {
  const full = path.resolve(dir, rel);
  if (full !== path.resolve(dir) && !full.startsWith(path.resolve(dir) + path.sep)) throw invalidParam(`Model file path '${rel}' points outside the model folder.`);
  return full;
}
