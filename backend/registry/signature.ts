import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelSignature, TensorDatatype, TensorSpec } from '../api/registry';
import { invalidParam } from '../core/errors';
import { readMlModel, readSignatureFile } from '../serving/runtimes/model-folder';

/** Version tag holding a signature inferred from a sample (JSON). */
export const SIGNATURE_TAG = 'cairn.signature';

const MLFLOW_TYPES: Record<string, TensorDatatype> = {
  double: 'FP64', float: 'FP32', integer: 'INT32', long: 'INT64', boolean: 'BOOL', string: 'BYTES', binary: 'BYTES', datetime: 'BYTES',
  float64: 'FP64', float32: 'FP32', int32: 'INT32', int64: 'INT64', bool: 'BOOL', object: 'BYTES',
};
const GRAPH_TYPES: Record<string, TensorDatatype> = { DT_FLOAT: 'FP32', DT_INT32: 'INT32', DT_BOOL: 'BOOL', DT_STRING: 'BYTES', DT_INT64: 'INT64', DT_DOUBLE: 'FP64' };

/**
 * The signature a model folder declares, read from its files without loading it: `signature.json`,
 * MLflow's `MLmodel` signature, or TF.js `model.json` (layers input shapes, graph signature).
 */
export function signatureOfFolder(dir: string): ModelSignature | undefined {
  return readSignatureFile(dir) ?? fromMlModel(dir) ?? fromModelJson(dir);
}

function fromMlModel(dir: string): ModelSignature | undefined {
  const sig = readMlModel(dir)?.['signature'] as { inputs?: string; outputs?: string } | undefined;
  if (!sig?.inputs) return undefined;
  const inputs = JSON.parse(sig.inputs) as { type: string; name?: string; 'tensor-spec'?: { dtype: string; shape: number[] } }[];
  const outputs = sig.outputs ? (JSON.parse(sig.outputs) as typeof inputs) : [];
  const tensor = (c: (typeof inputs)[number], i: number, prefix: string): TensorSpec => ({
    name: c.name ?? `${prefix}_${i}`,
    datatype: MLFLOW_TYPES[c['tensor-spec']?.dtype ?? c.type] ?? 'FP64',
    shape: c['tensor-spec']?.shape ?? [-1],
  });
  if (inputs.every((c) => c.type !== 'tensor')) {
    const types = new Set(inputs.map((c) => MLFLOW_TYPES[c.type] ?? 'FP64'));
    return {
      inputs: [{ name: 'input', datatype: types.size === 1 ? [...types][0]! : 'FP64', shape: [-1, inputs.length] }],
      outputs: outputs.map((c, i) => tensor(c, i, 'output')),
      columns: inputs.map((c, i) => c.name ?? `c${i}`),
      source: 'mlmodel',
    };
  }
  return { inputs: inputs.map((c, i) => tensor(c, i, 'input')), outputs: outputs.map((c, i) => tensor(c, i, 'output')), source: 'mlmodel' };
}

type TopologyConfig = { class_name?: string; config?: { layers?: LayerConfig[] } | LayerConfig[] };
type LayerConfig = { class_name?: string; config?: { name?: string; batch_input_shape?: (number | null)[]; batchInputShape?: (number | null)[]; units?: number; dtype?: string } };

function fromModelJson(dir: string): ModelSignature | undefined {
  const file = path.join(dir, 'model.json');
  if (!fs.existsSync(file)) return undefined;
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    format?: string;
    modelTopology?: { model_config?: TopologyConfig } & TopologyConfig;
    signature?: { inputs?: Record<string, GraphTensor>; outputs?: Record<string, GraphTensor> };
  };
  if (json.signature?.inputs) {
    return { inputs: Object.entries(json.signature.inputs).map(graphSpec), outputs: Object.entries(json.signature.outputs ?? {}).map(graphSpec), source: 'model' };
  }
  // tfjs writes {class_name, config} at the top; Keras conversions wrap it in model_config.
  const cfg = (json.modelTopology?.model_config ?? json.modelTopology)?.config;
  const layers = Array.isArray(cfg) ? cfg : cfg?.layers;
  const first = layers?.[0]?.config;
  const shape = first?.batch_input_shape ?? first?.batchInputShape;
  if (!layers || !shape) return undefined;
  const last = layers[layers.length - 1]?.config;
  return {
    inputs: [{ name: `${first?.name ?? 'input'}_input`, datatype: 'FP32', shape: shape.map((d) => (d === null ? -1 : d)) }],
    outputs: last?.units ? [{ name: last.name ?? 'output', datatype: 'FP32', shape: [-1, last.units] }] : [],
    source: 'model',
  };
}

type GraphTensor = { name?: string; dtype?: string; tensorShape?: { dim?: { size?: string | number }[] } };
const graphSpec = ([key, t]: [string, GraphTensor]): TensorSpec => ({
  name: t.name ?? key,
  datatype: GRAPH_TYPES[t.dtype ?? ''] ?? 'FP32',
  shape: (t.tensorShape?.dim ?? []).map((d) => Number(d.size ?? -1)),
});

/** The signature saved in a version tag, if any. */
export function signatureOfTag(tags: { key: string; value: string }[]): ModelSignature | undefined {
  const v = tags.find((t) => t.key === SIGNATURE_TAG)?.value;
  if (!v) return undefined;
  try {
    return JSON.parse(v) as ModelSignature;
  } catch {
    return undefined;
  }
}

/** A sample's columns and the datatype their values suggest. */
export function columnsOfSample(sample: unknown): { columns: string[]; rows: unknown[][] } {
  if (Array.isArray(sample)) {
    if (sample.length === 0 || sample.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
      throw invalidParam("'sample' must be a non-empty list of row objects ({column: value}) or {columns, data}.");
    }
    const columns = Object.keys(sample[0] as object);
    return { columns, rows: sample.map((r) => columns.map((c) => (r as Record<string, unknown>)[c])) };
  }
  const s = sample as { columns?: unknown; data?: unknown } | null;
  if (!s || !Array.isArray(s.columns) || !Array.isArray(s.data) || s.data.length === 0) {
    throw invalidParam("'sample' must be a non-empty list of row objects ({column: value}) or {columns, data}.");
  }
  return { columns: s.columns.map(String), rows: s.data as unknown[][] };
}

export function datatypeOfValues(values: unknown[]): TensorDatatype {
  if (values.every((v) => typeof v === 'boolean')) return 'BOOL';
  if (values.every((v) => typeof v === 'number' && Number.isInteger(v))) return 'INT64';
  if (values.every((v) => typeof v === 'number')) return 'FP64';
  return 'BYTES';
}
