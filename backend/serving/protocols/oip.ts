import type { ModelSignature, TensorSpec } from '../../api/registry';
import type { OipTensor } from '../../api/serving';
import { DATATYPES, describeSpec, elementCount, isNumericType, shapeFits, type Tensor } from '../tensor';
import { badPayload } from './payload-error';
import { coerce, flattenNested, tableToTensors } from './table-input';

export interface OipRequest {
  id?: string;
  inputs: Tensor[];
  outputs?: string[];
}

const EXAMPLE = '{"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}';

/** Parses and checks an Open Inference Protocol v2 infer request against the model's signature. */
export function parseOipRequest(body: Record<string, unknown>, sig: ModelSignature): OipRequest {
  const id = body['id'];
  if (id !== undefined && typeof id !== 'string') throw badPayload("'id' must be a string.");
  const raw = body['inputs'];
  if (!Array.isArray(raw) || raw.length === 0) throw badPayload(`'inputs' must be a non-empty list of tensors, e.g. ${EXAMPLE}.`);
  const given = raw.map((t, i) => readTensor(t, i));
  const outputs = readRequestedOutputs(body['outputs'], sig);
  // One input per column (the pandas-style request MLServer clients send) for a table model.
  if (sig.columns?.length && sig.inputs.length === 1 && given.length > 1 && given.every((t) => sig.columns!.includes(t.name))) {
    const n = given[0]!.shape[0]!;
    if (given.some((t) => t.shape[0] !== n || elementCount(t.shape) !== n)) throw badPayload('Column inputs must all have shape [rows] (or [rows, 1]) with the same number of rows.');
    return { id, outputs, inputs: tableToTensors({ columns: given.map((t) => t.name), rows: Array.from({ length: n }, (_, r) => given.map((t) => t.data[r])) }, sig) };
  }
  const inputs = sig.inputs.map((spec) => {
    const t = given.find((g) => g.name === spec.name) ?? (sig.inputs.length === 1 && given.length === 1 ? given[0] : undefined);
    if (!t) throw badPayload(`Missing input '${spec.name}': the model expects ${sig.inputs.map(describeSpec).join(', ')}.`);
    return checkAgainst(t, spec);
  });
  const unknown = given.filter((g) => sig.inputs.length > 1 && !sig.inputs.some((s) => s.name === g.name));
  if (unknown.length) throw badPayload(`Unknown input(s) ${unknown.map((u) => `'${u.name}'`).join(', ')}: the model expects ${sig.inputs.map(describeSpec).join(', ')}.`);
  return { id, outputs, inputs };
}

function readTensor(t: unknown, i: number): Tensor {
  const where = `inputs[${i}]`;
  if (typeof t !== 'object' || t === null || Array.isArray(t)) throw badPayload(`${where} must be an object like ${EXAMPLE.slice(12, -2)}.`);
  const o = t as Record<string, unknown>;
  if (typeof o['name'] !== 'string' || o['name'] === '') throw badPayload(`${where}.name must be a non-empty string.`);
  const name = o['name'];
  const shape = o['shape'];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) throw badPayload(`Input '${name}': 'shape' must be a list of non-negative integers.`);
  const datatype = o['datatype'];
  if (typeof datatype !== 'string' || !DATATYPES.includes(datatype as Tensor['datatype'])) throw badPayload(`Input '${name}': 'datatype' must be one of ${DATATYPES.join(', ')}, got ${JSON.stringify(datatype)}.`);
  if (!Array.isArray(o['data'])) throw badPayload(`Input '${name}': 'data' must be a list (flat row-major, or nested in the tensor's shape).`);
  const { data } = flattenNested(o['data'], `input '${name}' data`);
  const expected = elementCount(shape as number[]);
  if (data.length !== expected) throw badPayload(`Input '${name}': shape [${shape.join(', ')}] needs ${expected} values, got ${data.length}.`);
  const dt = datatype as Tensor['datatype'];
  return { name, datatype: dt, shape: shape as number[], data: data.map((v, k) => coerce(v, dt, `input '${name}' element ${k}`)) };
}

function checkAgainst(t: Tensor, spec: TensorSpec): Tensor {
  if (!shapeFits(spec.shape, t.shape)) throw badPayload(`Input '${t.name}': shape [${t.shape.join(', ')}] does not fit ${describeSpec(spec)} (-1: any size).`);
  if (isNumericType(spec.datatype) !== isNumericType(t.datatype) || (!isNumericType(spec.datatype) && spec.datatype !== t.datatype)) {
    throw badPayload(`Input '${t.name}': datatype ${t.datatype} does not fit ${describeSpec(spec)}.`);
  }
  return { ...t, name: spec.name, datatype: spec.datatype };
}

function readRequestedOutputs(v: unknown, sig: ModelSignature): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw badPayload("'outputs' must be a list of {name}.");
  return v.map((o, i) => {
    const name = (o as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') throw badPayload(`outputs[${i}].name must be a string.`);
    if (sig.outputs.length && !sig.outputs.some((s) => s.name === name)) throw badPayload(`Unknown output '${name}': the model's outputs are ${sig.outputs.map((s) => s.name).join(', ')}.`);
    return name;
  });
}

export function formatOipOutputs(outputs: Tensor[], requested: string[] | undefined): OipTensor[] {
  return outputs.filter((o) => !requested || requested.includes(o.name)).map((o) => ({ name: o.name, shape: o.shape, datatype: o.datatype, data: o.data }));
}
