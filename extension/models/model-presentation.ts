/**
 * How registered models and their versions look in the Models view: labels, descriptions,
 * tooltips, icons, contextValues and stable ids. Pure (no `vscode`), so it is unit-tested directly.
 * Names and descriptions are plain text: tree items never render them as markup.
 */
import type { ModelVersion, RegisteredModel } from '../../backend/api/mlflow';

export const modelNodeId = (name: string) => `/model/${encodeURIComponent(name)}`;
export const versionNodeId = (name: string, version: string) => `/model/${encodeURIComponent(name)}/v/${encodeURIComponent(version)}`;

/** Versions newest first (MLflow versions are integers kept as strings). */
export function sortVersions(versions: ModelVersion[]): ModelVersion[] {
  return [...versions].sort((a, b) => Number(b.version) - Number(a.version) || b.version.localeCompare(a.version));
}

export const aliasText = (aliases: readonly string[]) => aliases.map((a) => `@${a}`).join(' ');

/** `3 versions · @champion→v2 @challenger→v3`. */
export function modelDescription(m: RegisteredModel, versionCount?: number): string {
  const count = versionCount ?? (m.latest_versions.length ? Math.max(...m.latest_versions.map((v) => Number(v.version) || 0)) : 0);
  const parts = [`${count} version${count === 1 ? '' : 's'}`];
  const aliases = [...m.aliases].sort((a, b) => a.alias.localeCompare(b.alias)).map((a) => `@${a.alias}→v${a.version}`);
  if (aliases.length) parts.push(aliases.join(' '));
  return parts.join(' · ');
}

export function modelTooltip(m: RegisteredModel): string {
  const lines = [`Model ${m.name}`, `updated: ${new Date(m.last_updated_timestamp).toLocaleString()}`];
  if (m.description) lines.push('', m.description);
  if (m.aliases.length) lines.push('', 'aliases:', ...m.aliases.map((a) => `  @${a.alias} → version ${a.version}`));
  if (m.tags.length) lines.push('', 'tags:', ...m.tags.map((t) => `  ${t.key} = ${t.value}`));
  return lines.join('\n');
}

export const versionLabel = (v: Pick<ModelVersion, 'version'>) => `Version ${v.version}`;

/** `@champion · deployed: weather · Production`. */
export function versionDescription(v: ModelVersion, deployedAs: readonly string[] = []): string {
  const parts: string[] = [];
  if (v.aliases.length) parts.push(aliasText(v.aliases));
  if (deployedAs.length) parts.push(`deployed: ${deployedAs.join(', ')}`);
  if (v.current_stage && v.current_stage !== 'None') parts.push(v.current_stage);
  if (v.status !== 'READY') parts.push(v.status === 'FAILED_REGISTRATION' ? 'registration failed' : 'registering…');
  return parts.join(' · ');
}

export function versionTooltip(v: ModelVersion, deployedAs: readonly string[] = []): string {
  const lines = [`${v.name} version ${v.version}`, `registered: ${new Date(v.creation_timestamp).toLocaleString()}${v.user_id ? ` by ${v.user_id}` : ''}`, `source: ${v.source}`];
  if (v.run_id) lines.push(`run: ${v.run_id}`);
  if (v.aliases.length) lines.push(`aliases: ${aliasText(v.aliases)}`);
  if (deployedAs.length) lines.push(`deployed as: ${deployedAs.join(', ')}`);
  if (v.status_message) lines.push(`status: ${v.status_message}`);
  if (v.description) lines.push('', v.description);
  return lines.join('\n');
}

export function versionIcon(v: Pick<ModelVersion, 'status' | 'aliases'>): { icon: string; color?: string } {
  if (v.status === 'FAILED_REGISTRATION') return { icon: 'error', color: 'testing.iconFailed' };
  if (v.status === 'PENDING_REGISTRATION') return { icon: 'sync~spin' };
  return v.aliases.length ? { icon: 'versions', color: 'charts.green' } : { icon: 'versions' };
}

/** `cairn:version+ready+aliased+deployed+run`: tokens matched by regex `when` clauses in menus. */
export function versionContextValue(v: ModelVersion, deployed: boolean): string {
  return ['cairn:version', v.status === 'READY' ? 'ready' : v.status === 'FAILED_REGISTRATION' ? 'failed' : 'pending', v.aliases.length ? 'aliased' : 'unaliased', deployed ? 'deployed' : 'undeployed', v.run_id ? 'run' : 'norun'].join('+');
}

export const MODEL_CONTEXT_VALUE = 'cairn:model';

/** Well-known aliases offered first when promoting. */
export const COMMON_ALIASES = ['champion', 'challenger', 'staging', 'production'];
