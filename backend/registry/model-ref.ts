import type { ModelVersion } from '../api/mlflow';
import { invalidParam } from '../core/errors';
import type { RegistryStore } from '../store/metadata-store';

/** A registered model version named by alias or number. */
export type ModelRef = { name: string; alias: string } | { name: string; version: string };

/** Parses `NAME@ALIAS`, `NAME/VERSION`, `models:/NAME@ALIAS` or `models:/NAME/VERSION`. */
export function parseModelRef(text: string): ModelRef {
  const s = text.replace(/^models:\/+/, '');
  const at = s.lastIndexOf('@');
  if (at > 0 && at < s.length - 1) return { name: s.slice(0, at), alias: s.slice(at + 1) };
  const m = /^(.+)\/(\d+)$/.exec(s);
  if (m) return { name: m[1]!, version: m[2]! };
  throw invalidParam(`Invalid model reference '${text}': expected NAME@ALIAS or NAME/VERSION (e.g. weather@champion or weather/3).`);
}

export const formatModelRef = (ref: ModelRef): string => ('alias' in ref ? `${ref.name}@${ref.alias}` : `${ref.name}/${ref.version}`);

export async function resolveModelRef(store: RegistryStore, ref: ModelRef): Promise<ModelVersion> {
  return 'alias' in ref ? store.getVersionByAlias(ref.name, ref.alias) : store.getModelVersion(ref.name, ref.version);
}

/** `models:/m-…` (an MLflow 3 logged model) → its id. */
export function modelIdOfSource(source: string): string | undefined {
  return /^models:\/(m-[0-9a-f]{32})\/?$/.exec(source)?.[1];
}
