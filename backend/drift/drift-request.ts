import type { DriftRequest, DriftSource } from '../api/drift';
import { invalidParam } from '../core/errors';
import type { Message } from '../server/message';

function source(m: Message | undefined, field: string): DriftSource {
  if (!m) throw invalidParam(`Missing value for required parameter '${field}'.`);
  if (m.has('path')) {
    const format = m.optString('format');
    if (format !== undefined && !['csv', 'jsonl', 'parquet'].includes(format)) throw invalidParam(`'${field}.format' must be csv, jsonl or parquet.`);
    return { path: m.nonEmpty('path'), ...(format ? { format: format as 'csv' } : {}) };
  }
  if (m.has('dataset')) return { dataset: m.nonEmpty('dataset'), ...(m.has('version') ? { version: m.string('version') } : {}) };
  if (m.has('deployment')) return { deployment: m.nonEmpty('deployment'), start: m.optInt('start'), end: m.optInt('end') };
  throw invalidParam(`'${field}' needs one of: path, dataset, deployment.`);
}

function stringMap(m: Message | undefined): Record<string, string> | undefined {
  if (!m) return undefined;
  return Object.fromEntries(Object.keys(m.raw).map((k) => [k, m.string(k)]));
}

function numberMap(m: Message | undefined): Record<string, number> | undefined {
  if (!m) return undefined;
  return Object.fromEntries(Object.keys(m.raw).map((k) => [k, m.double(k)]));
}

const optDouble = (m: Message, f: string) => (m.has(f) ? m.double(f) : undefined);

/** Reads a DriftRequest from a JSON body with field-by-field errors. */
export function readDriftRequest(m: Message): DriftRequest {
  const req: DriftRequest = { reference: source(m.object('reference'), 'reference'), current: source(m.object('current'), 'current') };
  if (m.has('columns')) req.columns = m.stringArray('columns');
  if (m.has('numerical_columns')) req.numerical_columns = m.stringArray('numerical_columns');
  if (m.has('categorical_columns')) req.categorical_columns = m.stringArray('categorical_columns');
  for (const f of ['method', 'num_method', 'cat_method'] as const) if (m.has(f)) req[f] = m.string(f);
  for (const f of ['threshold', 'num_threshold', 'cat_threshold', 'drift_share'] as const) {
    const v = optDouble(m, f);
    if (v !== undefined) req[f] = v;
  }
  req.per_column_method = stringMap(m.object('per_column_method'));
  req.per_column_threshold = numberMap(m.object('per_column_threshold'));
  if (m.has('exact_limit')) req.exact_limit = m.int('exact_limit');
  return req;
}
