// Content hashes of a stage's inputs: files and folders by sha256 of their bytes, params by value.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { StageSpec } from './pipeline-spec';

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Files under a folder (relative, sorted), or [''] for a file. */
export function filesOf(abs: string): string[] {
  const st = fs.statSync(abs);
  if (st.isFile()) return [''];
  return (fs.readdirSync(abs, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(abs, f)).isFile()).map((f) => f.split(path.sep).join('/')).sort();
}

/** sha256 of a file, or of a folder's "path\0hash" listing; undefined when absent. */
export function hashPath(abs: string): string | undefined {
  if (!fs.existsSync(abs)) return undefined;
  const files = filesOf(abs);
  if (files.length === 1 && files[0] === '') return sha256(fs.readFileSync(abs));
  return sha256(files.map((f) => `${f}\0${sha256(fs.readFileSync(path.join(abs, f)))}\n`).join(''));
}

/** The value of `key` (dotted) in params.yaml, or of `file:key`. */
export function paramValue(workspace: string, ref: string): unknown {
  const [file, key] = ref.includes(':') ? (ref.split(':', 2) as [string, string]) : ['params.yaml', ref];
  const abs = path.join(workspace, file);
  if (!fs.existsSync(abs)) return undefined;
  let v: unknown = parse(fs.readFileSync(abs, 'utf8'));
  for (const part of key.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

export interface StageFingerprint {
  key: string;
  deps: Record<string, string | null>;
  params: Record<string, unknown>;
}

export function fingerprint(workspace: string, stage: StageSpec): StageFingerprint {
  const deps = Object.fromEntries(stage.deps.map((d) => [d, hashPath(path.join(workspace, d)) ?? null]));
  const params = Object.fromEntries(stage.params.map((p) => [p, paramValue(workspace, p) ?? null]));
  const key = sha256(JSON.stringify({ cmd: stage.cmd, deps, params, outs: stage.outs, metrics: stage.metrics }));
  return { key, deps, params };
}

/** Numbers in a JSON or YAML metrics file, nested keys joined with '.'. */
export function readMetrics(abs: string): Record<string, number> {
  if (!fs.existsSync(abs)) return {};
  const out: Record<string, number> = {};
  const walk = (v: unknown, prefix: string) => {
    if (typeof v === 'number' && Number.isFinite(v)) out[prefix] = v;
    else if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, prefix ? `${prefix}.${k}` : k);
  };
  walk(parse(fs.readFileSync(abs, 'utf8')), '');
  return out;
}
