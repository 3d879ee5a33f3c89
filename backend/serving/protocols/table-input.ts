import type { ModelSignature, TensorDatatype } from '../../api/registry';
import { describeSpec, isNumericType, type Tensor } from '../tensor';
import { badPayload } from './payload-error';

/** A table: named columns and rows of values. */
export interface Table {
  columns: string[];
  rows: unknown[][];
}

/**
 * Turns a table into the model's input tensors. A model with one 2-D input [-1, k] takes k columns,
 * in the order of `signature.columns` when it names them (extra columns are ignored, missing ones
 * refused), else in the order given. A model with several inputs takes one column per input name.
 */
export function tableToTensors(table: Table, sig: ModelSignature): Tensor[] {
  const n = table.rows.length;
  if (n === 0) throw badPayload('The payload has no rows.');
  table.rows.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== table.columns.length) throw badPayload(`Row ${i} has ${Array.isArray(r) ? r.length : 'no'} values; expected ${table.columns.length} (one per column: ${table.columns.join(', ')}).`);
  });
  const colIndex = (c: string) => table.columns.indexOf(c);
  if (sig.inputs.length === 1 && sig.inputs[0]!.shape.length === 2) {
    const spec = sig.inputs[0]!;
    const width = spec.shape[1]!;
    let order: number[];
    if (sig.columns?.length) {
      const missing = sig.columns.filter((c) => colIndex(c) < 0);
      if (missing.length) throw badPayload(`Missing column(s) ${missing.map((c) => `'${c}'`).join(', ')}; the model expects columns ${sig.columns.join(', ')}.`);
      order = sig.columns.map(colIndex);
    } else {
      if (width !== -1 && table.columns.length !== width) throw badPayload(`Expected ${width} columns for input ${describeSpec(spec)}, got ${table.columns.length} (${table.columns.join(', ')}).`);
      order = table.columns.map((_, i) => i);
    }
    const data: Tensor['data'] = [];
    for (let r = 0; r < n; r++) for (const c of order) data.push(coerce(table.rows[r]![c], spec.datatype, `row ${r}, column '${table.columns[c]}'`));
    return [{ name: spec.name, datatype: spec.datatype, shape: [n, order.length], data }];
  }
  return sig.inputs.map((spec) => {
    const c = colIndex(spec.name);
    if (c < 0) throw badPayload(`Missing column '${spec.name}'; the model's inputs are ${sig.inputs.map(describeSpec).join(', ')}.`);
    return { name: spec.name, datatype: spec.datatype, shape: spec.shape.length === 2 ? [n, 1] : [n], data: table.rows.map((r, i) => coerce(r[c], spec.datatype, `row ${i}, column '${spec.name}'`)) };
  });
}

/** Checks one value against a datatype (numbers for numeric types; numeric strings from CSV are fine). */
export function coerce(v: unknown, datatype: TensorDatatype, where: string): number | string | boolean {
  if (isNumericType(datatype)) {
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
    if (v === null || v === undefined || v === '') throw badPayload(`Missing value at ${where}: expected a number (${datatype}).`);
    throw badPayload(`Invalid value ${JSON.stringify(v)} at ${where}: expected a number (${datatype}).`);
  }
  if (datatype === 'BOOL') {
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    throw badPayload(`Invalid value ${JSON.stringify(v)} at ${where}: expected a boolean.`);
  }
  if (typeof v === 'string') return v;
  throw badPayload(`Invalid value ${JSON.stringify(v)} at ${where}: expected a string (BYTES).`);
}

/** Flattens nested arrays, returning the flat values and the shape they had. */
export function flattenNested(v: unknown, where: string): { data: unknown[]; shape: number[] } {
  const shape: number[] = [];
  let cur: unknown = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  const data: unknown[] = [];
  const walk = (x: unknown, depth: number) => {
    if (depth === shape.length) {
      if (Array.isArray(x)) throw badPayload(`${where} is ragged: expected ${shape.length} levels of nesting everywhere.`);
      data.push(x);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) throw badPayload(`${where} is ragged: every list at depth ${depth} must have ${shape[depth]} elements.`);
    for (const y of x) walk(y, depth + 1);
  };
  walk(v, 0);
  return { data, shape };
}
