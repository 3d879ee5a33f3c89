/**
 * A small YAML emitter for run summaries (maps, lists, scalars): strings are always double-quoted
 * JSON strings, which YAML reads back exactly. Keeps the 250 KB `yaml` package out of the
 * extension bundle, so activation stays cheap. Pure.
 */
type Value = string | number | boolean | null | undefined | Value[] | { [k: string]: Value };

const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/;

const key = (k: string) => (PLAIN_KEY.test(k) ? k : JSON.stringify(k));

function scalar(v: Value): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
  if (typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const isEmpty = (v: Value) => (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && v !== null && Object.keys(v).length === 0);

function emit(v: Value, indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v) {
      if (item !== null && typeof item === 'object' && !isEmpty(item)) {
        const lines: string[] = [];
        emit(item, `${indent}  `, lines);
        out.push(`${indent}- ${lines[0]!.trimStart()}`, ...lines.slice(1));
      } else out.push(`${indent}- ${isEmpty(item) ? (Array.isArray(item) ? '[]' : '{}') : scalar(item)}`);
    }
    return;
  }
  if (v !== null && typeof v === 'object') {
    for (const [k, child] of Object.entries(v)) {
      if (child !== null && typeof child === 'object' && !isEmpty(child)) {
        out.push(`${indent}${key(k)}:`);
        emit(child, `${indent}  `, out);
      } else out.push(`${indent}${key(k)}: ${isEmpty(child) ? (Array.isArray(child) ? '[]' : '{}') : scalar(child)}`);
    }
    return;
  }
  out.push(`${indent}${scalar(v)}`);
}

export function toYaml(v: Value): string {
  const out: string[] = [];
  emit(v, '', out);
  return `${out.join('\n')}\n`;
}
