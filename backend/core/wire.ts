import type { WireDouble } from '../api/mlflow';
import { invalidParam } from './errors';

/** Reads a double that may arrive as a number or as protobuf's "NaN"/"Infinity"/"-Infinity". */
export function readDouble(v: unknown, field: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity' || v === 'inf') return Infinity;
    if (v === '-Infinity' || v === '-inf') return -Infinity;
    if (v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  }
  throw invalidParam(`Invalid value ${JSON.stringify(v)} for parameter '${field}' supplied: expected a number.`);
}

export function writeDouble(v: number): WireDouble {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return 'NaN';
  return v > 0 ? 'Infinity' : '-Infinity';
}

/** Reads an int64 that may arrive as a number or a decimal string. */
export function readInt(v: unknown, field: string, opts: { min?: number } = {}): number {
  let n: number | undefined;
  if (typeof v === 'number' && Number.isInteger(v)) n = v;
  else if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) n = Number(v);
  if (n === undefined || !Number.isSafeInteger(n)) {
    throw invalidParam(`Invalid value ${JSON.stringify(v)} for parameter '${field}' supplied: expected an integer.`);
  }
  if (opts.min !== undefined && n < opts.min) {
    throw invalidParam(`Invalid value ${n} for parameter '${field}' supplied: must be >= ${opts.min}.`);
  }
  return n;
}

/** JSON.stringify that writes non-finite numbers the way protobuf JSON does. */
export function toWireJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? writeDouble(v) : v));
}
