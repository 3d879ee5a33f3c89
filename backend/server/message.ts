import { invalidParam } from '../core/errors';
import { readDouble, readInt } from '../core/wire';

const missing = (field: string) => invalidParam(`Missing value for required parameter '${field}'.`);
const wrongType = (field: string, v: unknown, expected: string) =>
  invalidParam(`Invalid value ${JSON.stringify(v)} for parameter '${field}' supplied: expected ${expected}.`);

/**
 * Typed reads from a request message: a JSON body, or a query string for GET (where every value is
 * a string and repeated keys are arrays). Every failure is an INVALID_PARAMETER_VALUE naming the field.
 */
export class Message {
  constructor(readonly raw: Record<string, unknown>) {}

  has(field: string): boolean {
    const v = this.raw[field];
    return v !== undefined && v !== null;
  }

  string(field: string): string {
    const v = this.optString(field);
    if (v === undefined) throw missing(field);
    return v;
  }

  /** A required string that must not be empty. */
  nonEmpty(field: string): string {
    const v = this.string(field);
    if (v === '') throw missing(field);
    return v;
  }

  optString(field: string): string | undefined {
    const v = this.raw[field];
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
    if (typeof v !== 'string') throw wrongType(field, v, 'a string');
    return v;
  }

  /** The first of several field names that is present (e.g. `run_id` or its deprecated `run_uuid`). */
  oneOf(...fields: string[]): string {
    for (const f of fields) {
      const v = this.optString(f);
      if (v !== undefined && v !== '') return v;
    }
    throw missing(fields[0]!);
  }

  optInt(field: string, opts: { min?: number } = {}): number | undefined {
    const v = this.scalar(field);
    return v === undefined ? undefined : readInt(v, field, opts);
  }

  int(field: string, opts: { min?: number } = {}): number {
    const v = this.optInt(field, opts);
    if (v === undefined) throw missing(field);
    return v;
  }

  double(field: string): number {
    const v = this.scalar(field);
    if (v === undefined) throw missing(field);
    if (typeof v === 'boolean') throw wrongType(field, v, 'a number');
    return readDouble(v, field);
  }

  optBool(field: string): boolean | undefined {
    const v = this.scalar(field);
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'True') return true;
    if (v === 'false' || v === 'False') return false;
    throw wrongType(field, v, 'a boolean');
  }

  stringArray(field: string): string[] {
    const v = this.raw[field];
    if (v === undefined || v === null) return [];
    const list = Array.isArray(v) ? v : [v];
    return list.map((x, i) => {
      if (typeof x === 'string') return x;
      if (typeof x === 'number') return String(x);
      throw wrongType(`${field}[${i}]`, x, 'a string');
    });
  }

  /** A repeated message field: a list of objects. */
  objects(field: string): Message[] {
    const v = this.raw[field];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw wrongType(field, v, 'a list');
    return v.map((x, i) => {
      if (typeof x !== 'object' || x === null || Array.isArray(x)) throw wrongType(`${field}[${i}]`, x, 'an object');
      return new Message(x as Record<string, unknown>);
    });
  }

  object(field: string): Message | undefined {
    const v = this.raw[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw wrongType(field, v, 'an object');
    return new Message(v as Record<string, unknown>);
  }

  private scalar(field: string): unknown {
    const v = this.raw[field];
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v)) {
      if (v.length === 1) return v[0];
      throw wrongType(field, v, 'a single value');
    }
    if (typeof v === 'object') throw wrongType(field, v, 'a scalar');
    return v;
  }
}
