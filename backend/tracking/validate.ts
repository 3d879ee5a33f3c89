import { RUN_STATUSES, type RunStatus, type ViewType } from '../api/mlflow';
import { invalidParam } from '../core/errors';

/** MLflow's limits (mlflow/utils/validation.py, 3.x values). */
export const LIMITS = {
  keyLength: 250,
  paramValue: 6000,
  runTagValue: 8000,
  experimentTagValue: 5000,
  registryTagValue: 5000,
  experimentName: 500,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchTotal: 1000,
  batchBodyBytes: 1_000_000,
  searchRunsMaxResults: 50_000,
  searchExperimentsMaxResults: 50_000,
  aliasLength: 255,
  datasetName: 500,
  datasetDigest: 36,
} as const;

const KEY_CHARS = /^[/\p{L}\p{N}\p{M}_.\- :]*$/u;
const RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;
const ALIAS = /^[\w-]*$/;

const bad = (field: string, v: unknown, why: string) => invalidParam(`Invalid value ${JSON.stringify(v)} for parameter '${field}' supplied: ${why}`);

/** Python's posixpath.normpath, which MLflow compares keys against. */
export function normpath(p: string): string {
  if (p === '') return '.';
  const initial = p.startsWith('/') ? (p.startsWith('//') && !p.startsWith('///') ? 2 : 1) : 0;
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..' || (initial === 0 && out.length === 0) || (out.length > 0 && out[out.length - 1] === '..')) out.push(part);
    else if (out.length > 0) out.pop();
  }
  const joined = '/'.repeat(initial) + out.join('/');
  return joined || '.';
}

/** Keys seen valid recently: log-batch repeats the same few keys a thousand times per request. */
const knownValidKeys = new Set<string>();

/** Metric, param and tag keys: a short, normalised, relative path of word characters. */
export function validateKey(key: string, field: string): void {
  if (knownValidKeys.has(key)) return;
  if (key.length > LIMITS.keyLength) throw bad(field, key, `keys must be at most ${LIMITS.keyLength} characters, got ${key.length}.`);
  if (!KEY_CHARS.test(key)) throw bad(field, key, "names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/).");
  if (normpath(key) !== key || key.startsWith('..') || key.startsWith('/')) {
    throw bad(field, key, 'names must be normalized relative paths (no leading or trailing slashes, no "..", no "./", no "//").');
  }
  if (knownValidKeys.size >= 10_000) knownValidKeys.clear();
  knownValidKeys.add(key);
}

export function validateValueLength(value: string, limit: number, field: string): string {
  if (value.length > limit) throw bad(field, `${value.slice(0, 40)}…`, `length ${value.length} exceeds the limit of ${limit}.`);
  return value;
}

export function validateRunId(runId: string, field = 'run_id'): string {
  if (!RUN_ID.test(runId)) throw bad(field, runId, 'run ids are 1 to 256 characters of letters, digits, underscores and dashes.');
  return runId;
}

export function validateExperimentName(name: string): string {
  if (name.trim() === '') throw invalidParam("Invalid experiment name: '' (it must be a non-empty string).");
  if (name.length > LIMITS.experimentName) throw bad('name', `${name.slice(0, 40)}…`, `experiment names are at most ${LIMITS.experimentName} characters.`);
  return name;
}

export function validateAlias(alias: string): string {
  if (alias.length > LIMITS.aliasLength || !ALIAS.test(alias) || alias === '') {
    throw bad('alias', alias, `aliases are 1 to ${LIMITS.aliasLength} characters of letters, digits, underscores and dashes.`);
  }
  if (alias.toLowerCase() === 'latest') throw bad('alias', alias, "'latest' is reserved.");
  if (/^v\d+$/i.test(alias)) throw bad('alias', alias, "aliases like 'v1' are reserved for version numbers.");
  return alias;
}

export function parseRunStatus(v: string | undefined, field = 'status'): RunStatus | undefined {
  if (v === undefined || v === '') return undefined;
  const byNumber = /^\d+$/.test(v) ? RUN_STATUSES[Number(v) - 1] : undefined;
  const status = byNumber ?? RUN_STATUSES.find((s) => s === v.toUpperCase());
  if (!status) throw bad(field, v, `expected one of ${RUN_STATUSES.join(', ')}.`);
  return status;
}

const VIEW_TYPES: ViewType[] = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'];

export function parseViewType(v: string | undefined, field: string): ViewType {
  if (v === undefined || v === '') return 'ACTIVE_ONLY';
  const byNumber = /^\d+$/.test(v) ? VIEW_TYPES[Number(v) - 1] : undefined;
  const vt = byNumber ?? VIEW_TYPES.find((t) => t === v.toUpperCase());
  if (!vt) throw bad(field, v, `expected one of ${VIEW_TYPES.join(', ')}.`);
  return vt;
}

export function validateMaxResults(v: number | undefined, def: number, max: number): number {
  if (v === undefined) return def;
  if (v < 1 || v > max) throw invalidParam(`Invalid value ${v} for parameter 'max_results' supplied. It must be at most ${max} and at least 1.`);
  return v;
}

/** Page tokens are opaque to clients: base64 of `{"offset": N}`. */
export function decodePageToken(token: string | undefined): number {
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isSafeInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // fall through
  }
  throw invalidParam(`Invalid page token '${token}'.`);
}

export function encodePageToken(offset: number | undefined): string | undefined {
  return offset === undefined ? undefined : Buffer.from(JSON.stringify({ offset })).toString('base64');
}
