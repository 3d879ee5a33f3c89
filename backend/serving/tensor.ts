import type { TensorDatatype, TensorSpec } from '../api/registry';

/** A named tensor, batch along dim 0, data flat in row-major order (the OIP JSON form). */
export interface Tensor {
  name: string;
  datatype: TensorDatatype;
  shape: number[];
  data: (number | string | boolean)[];
}

export const DATATYPES: readonly TensorDatatype[] = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'];

export const isNumericType = (t: TensorDatatype): boolean => t !== 'BOOL' && t !== 'BYTES';

export const elementCount = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Rows of a tensor (dim 0; a scalar counts as one). */
export const rowsOf = (t: Tensor): number => (t.shape.length === 0 ? 1 : t.shape[0]!);

/** Elements per row. */
export const rowWidth = (t: { shape: readonly number[] }): number => elementCount(t.shape.slice(1));

/** Whether a concrete shape fits a spec shape where -1 is any size. */
export function shapeFits(spec: readonly number[], shape: readonly number[]): boolean {
  return spec.length === shape.length && spec.every((d, i) => d === -1 || d === shape[i]);
}

export function describeSpec(s: TensorSpec): string {
  return `'${s.name}' ${s.datatype} [${s.shape.join(', ')}]`;
}

/**
 * Concatenates several requests' inputs along dim 0 (they must share names, datatypes and inner
 * dims: `batchKey` tells which can go together).
 */
export function concatBatch(requests: Tensor[][]): Tensor[] {
  if (requests.length === 1) return requests[0]!;
  return requests[0]!.map((first, i) => {
    const parts = requests.map((r) => r[i]!);
    const rows = parts.reduce((n, t) => n + rowsOf(t), 0);
    const data: Tensor['data'] = [];
    for (const p of parts) for (const v of p.data) data.push(v);
    return { name: first.name, datatype: first.datatype, shape: [rows, ...first.shape.slice(1)], data };
  });
}

/** Splits batched outputs back into one output list per request, by each request's row count. */
export function splitBatch(outputs: Tensor[], rowCounts: number[]): Tensor[][] {
  if (rowCounts.length === 1) return [outputs];
  const result: Tensor[][] = rowCounts.map(() => []);
  for (const out of outputs) {
    const width = rowWidth(out);
    let offset = 0;
    rowCounts.forEach((rows, i) => {
      result[i]!.push({ name: out.name, datatype: out.datatype, shape: [rows, ...out.shape.slice(1)], data: out.data.slice(offset * width, (offset + rows) * width) });
      offset += rows;
    });
  }
  return result;
}

/** Requests with the same key can share a batch. */
export function batchKey(inputs: Tensor[]): string {
  return inputs.map((t) => `${t.name}:${t.datatype}:${t.shape.slice(1).join('x')}`).join('|');
}

/** Row `i` of a tensor as a scalar (width 1) or an array. */
export function rowValue(t: Tensor, i: number): unknown {
  const w = rowWidth(t);
  if (t.shape.length <= 1) return t.data[i];
  const flat = t.data.slice(i * w, (i + 1) * w);
  return t.shape.length === 2 ? flat : nest(flat, t.shape.slice(1));
}

/** Flat row-major data → nested arrays of `shape`. */
export function nest(flat: readonly unknown[], shape: readonly number[]): unknown[] {
  if (shape.length <= 1) return [...flat];
  const inner = elementCount(shape.slice(1));
  const out: unknown[] = [];
  for (let i = 0; i < shape[0]!; i++) out.push(nest(flat.slice(i * inner, (i + 1) * inner), shape.slice(1)));
  return out;
}
