import { parse as parseCsv } from 'csv-parse/sync';
import type { ModelSignature } from '../../api/registry';
import { CairnError } from '../../core/errors';
import { elementCount, nest, rowValue, type Tensor } from '../tensor';
import { badPayload } from './payload-error';
import { coerce, flattenNested, tableToTensors, type Table } from './table-input';

const FORMATS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'];
const EXPECTED = `a JSON object with exactly one of ${FORMATS.join(', ')} (e.g. {"dataframe_split": {"columns": [...], "data": [[...]]}}), or CSV with a header row`;

/**
 * Parses an MLflow scoring request (`POST /invocations`): JSON with one of dataframe_split,
 * dataframe_records, instances or inputs, or `text/csv`, into the model's input tensors.
 */
export function parseInvocation(contentType: string | undefined, body: Buffer, sig: ModelSignature): Tensor[] {
  const [mime, ...params] = (contentType ?? 'application/json').split(';').map((s) => s.trim().toLowerCase());
  for (const p of params) {
    if (p !== 'charset=utf-8' && p !== 'charset=utf8') throw new CairnError('UNSUPPORTED_MEDIA_TYPE', `Unsupported content type parameter '${p}': only charset=utf-8 is accepted.`);
  }
  if (mime === 'text/csv') return tableToTensors(parseCsvTable(body.toString('utf8')), sig);
  if (mime !== 'application/json') throw new CairnError('UNSUPPORTED_MEDIA_TYPE', `Unsupported content type '${mime}': send application/json or text/csv.`);
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw badPayload(`The body is not valid JSON (${(err as Error).message}); expected ${EXPECTED}.`);
  }
  if (Array.isArray(json)) throw badPayload(`Received a list; expected ${EXPECTED}.`);
  if (typeof json !== 'object' || json === null) throw badPayload(`Expected ${EXPECTED}.`);
  const obj = json as Record<string, unknown>;
  const given = FORMATS.filter((k) => k in obj);
  if (given.length !== 1) throw badPayload(`${given.length === 0 ? 'None' : `Several (${given.join(', ')})`} of the accepted keys given; expected ${EXPECTED}.`);
  const key = given[0]!;
  const value = obj[key];
  switch (key) {
    case 'dataframe_split':
      return tableToTensors(splitTable(value), sig);
    case 'dataframe_records':
      return tableToTensors(recordsTable(value, 'dataframe_records'), sig);
    case 'instances':
      return instancesToTensors(value, sig);
    default:
      return inputsToTensors(value, sig);
  }
}

function parseCsvTable(text: string): Table {
  let records: string[][];
  try {
    records = parseCsv(text, { skip_empty_lines: true, trim: true }) as string[][];
  } catch (err) {
    throw badPayload(`The CSV body could not be parsed (${(err as Error).message}); expected a header row and one row per example.`);
  }
  if (records.length < 2) throw badPayload('The CSV body needs a header row and at least one data row.');
  const [header, ...rows] = records;
  // pandas' to_csv writes an unnamed index column first.
  if (header![0] === '') return { columns: header!.slice(1), rows: rows.map((r) => r.slice(1)) };
  return { columns: header!, rows };
}

function splitTable(v: unknown): Table {
  const s = v as { columns?: unknown; data?: unknown } | null;
  if (!s || typeof s !== 'object' || !Array.isArray(s.data)) throw badPayload('dataframe_split must be {"columns": [...], "data": [[...], ...]}.');
  const columns = Array.isArray(s.columns) ? s.columns.map(String) : (s.data[0] as unknown[] | undefined)?.map((_, i) => String(i)) ?? [];
  return { columns, rows: s.data as unknown[][] };
}

function recordsTable(v: unknown, what: string): Table {
  if (!Array.isArray(v) || v.length === 0) throw badPayload(`${what} must be a non-empty list of {column: value} objects.`);
  const columns: string[] = [];
  for (const r of v) {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw badPayload(`${what} must be a list of {column: value} objects.`);
    for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  }
  return { columns, rows: v.map((r) => columns.map((c) => (r as Record<string, unknown>)[c])) };
}

/** TF-Serving row format: a list of rows (lists) or of {input or column: value} objects. */
function instancesToTensors(v: unknown, sig: ModelSignature): Tensor[] {
  if (!Array.isArray(v) || v.length === 0) throw badPayload('instances must be a non-empty list of rows.');
  if (v.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) {
    const keys = Object.keys(v[0] as object);
    const byInput = sig.inputs.length > 1 && keys.every((k) => sig.inputs.some((i) => i.name === k));
    if (!byInput) return tableToTensors(recordsTable(v, 'instances'), sig);
    return sig.inputs.map((spec) => tensorFrom(v.map((r) => (r as Record<string, unknown>)[spec.name]), spec, `instances[*].${spec.name}`));
  }
  if (sig.inputs.length !== 1) throw badPayload(`This model has ${sig.inputs.length} inputs; send instances as objects keyed by ${sig.inputs.map((i) => i.name).join(', ')}.`);
  return [tensorFrom(v, sig.inputs[0]!, 'instances')];
}

/** TF-Serving columnar format: a tensor for the single input, or {input or column: tensor}. */
function inputsToTensors(v: unknown, sig: ModelSignature): Tensor[] {
  if (Array.isArray(v)) {
    if (sig.inputs.length !== 1) throw badPayload(`This model has ${sig.inputs.length} inputs; send inputs as {${sig.inputs.map((i) => `"${i.name}": [...]`).join(', ')}}.`);
    return [tensorFrom(v, sig.inputs[0]!, 'inputs')];
  }
  if (typeof v !== 'object' || v === null) throw badPayload('inputs must be a tensor (nested list) or an object of tensors keyed by input name.');
  const obj = v as Record<string, unknown>;
  if (sig.inputs.every((i) => i.name in obj)) return sig.inputs.map((spec) => tensorFrom(obj[spec.name], spec, `inputs.${spec.name}`));
  if (sig.columns?.length && sig.columns.every((c) => c in obj)) {
    const cols = sig.columns.map((c) => obj[c]);
    if (!cols.every(Array.isArray)) throw badPayload('inputs: each column must be a list of values.');
    const n = (cols[0] as unknown[]).length;
    return tableToTensors({ columns: sig.columns, rows: Array.from({ length: n }, (_, r) => cols.map((c) => (c as unknown[])[r])) }, sig);
  }
  const expected = sig.columns?.length ? `the inputs ${sig.inputs.map((i) => i.name).join(', ')} or the columns ${sig.columns.join(', ')}` : `the inputs ${sig.inputs.map((i) => i.name).join(', ')}`;
  throw badPayload(`inputs has keys ${Object.keys(obj).join(', ') || '(none)'}; expected ${expected}.`);
}

function tensorFrom(v: unknown, spec: ModelSignature['inputs'][number], where: string): Tensor {
  const { data, shape } = flattenNested(v, where);
  if (shape.length !== spec.shape.length || spec.shape.some((d, i) => i > 0 && d !== -1 && d !== shape[i])) {
    throw badPayload(`${where} has shape [${shape.join(', ')}]; input '${spec.name}' expects [${spec.shape.join(', ')}] (-1: any size).`);
  }
  if (elementCount(shape) === 0) throw badPayload(`${where} is empty.`);
  return { name: spec.name, datatype: spec.datatype, shape, data: data.map((x, i) => coerce(x, spec.datatype, `${where} element ${i}`)) };
}

/** MLflow's response: `{"predictions": …}`, one entry per row (records when there are several outputs). */
export function formatPredictions(outputs: Tensor[]): { predictions: unknown } {
  const main = outputs.find((o) => o.name === 'predictions') ?? (outputs.length === 1 ? outputs[0] : undefined);
  if (main) return { predictions: main.shape.length <= 1 ? main.data : nest(main.data, main.shape) };
  const rows = outputs[0]?.shape[0] ?? 0;
  return { predictions: Array.from({ length: rows }, (_, i) => Object.fromEntries(outputs.map((o) => [o.name, rowValue(o, i)]))) };
}
