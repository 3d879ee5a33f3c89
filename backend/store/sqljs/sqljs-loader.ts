import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;

/**
 * sql.js looks for its .wasm next to the JS that loads it. Bundles ship a copy in dist/; from sources
 * (tests, benches) it is found in node_modules.
 */
function wasmPath(file: string): string {
  const candidates = [path.join(__dirname, file), path.join(__dirname, '..', file)];
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    candidates.push(path.join(dir, 'node_modules', 'sql.js', 'dist', file));
    dir = path.dirname(dir);
  }
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`cannot find ${file} (looked in ${candidates.join(', ')})`);
  return found;
}

export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= initSqlJs({ locateFile: (file: string) => wasmPath(file) });
  return loading;
}
