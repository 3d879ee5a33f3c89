import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';

/** The params files `cairn run` reads when present (DVC's convention first). */
export const DEFAULT_PARAMS_FILES = ['params.yaml', 'params.yml', 'params.json'];

/**
 * Reads a YAML or JSON params file and flattens it: nested keys join with `.` (`train.lr`), lists
 * and other non-scalar leaves are kept as JSON text.
 */
export function readParamsFile(file: string): Map<string, string> {
  const text = fs.readFileSync(file, 'utf8');
  let doc: unknown;
  try {
    doc = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new Error(`cannot parse params file ${file}: ${(err as Error).message}`);
  }
  const out = new Map<string, string>();
  if (doc === null || doc === undefined) return out;
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`params file ${file} must hold a mapping of names to values`);
  flatten(doc as Record<string, unknown>, '', out);
  return out;
}

function flatten(obj: Record<string, unknown>, prefix: string, out: Map<string, string>): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix + k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) flatten(v as Record<string, unknown>, `${key}.`, out);
    else out.set(key, typeof v === 'string' ? v : JSON.stringify(v));
  }
}

/** The first default params file in `dirs` (in order), if any. */
export function findParamsFile(dirs: string[]): string | undefined {
  for (const dir of dirs) {
    for (const name of DEFAULT_PARAMS_FILES) {
      const f = path.join(dir, name);
      if (fs.existsSync(f)) return f;
    }
  }
  return undefined;
}
