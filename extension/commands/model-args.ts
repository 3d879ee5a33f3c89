import * as vscode from 'vscode';
import type { DeploymentsNode } from '../deployments/deployments-tree';
import { servingClient } from '../backend/serving';
import { aliasText, sortVersions } from '../models/model-presentation';
import type { ModelsNode } from '../models/models-tree';
import type { CairnServices } from './command';

export interface VersionRef {
  name: string;
  version: string;
}

/**
 * The model version a command acts on: a Models tree node, `{name, version}`, (name, version)
 * strings (tests, other commands), or nothing (palette → quick pick).
 */
export async function versionFromArgs(s: CairnServices, args: unknown[], title: string): Promise<VersionRef | undefined> {
  const [first, second] = args;
  if (first && typeof first === 'object') {
    if ((first as ModelsNode).kind === 'version') {
      const v = (first as ModelsNode & { kind: 'version' }).version;
      return { name: v.name, version: v.version };
    }
    const ref = first as Partial<VersionRef>;
    if (typeof ref.name === 'string' && typeof ref.version === 'string') return { name: ref.name, version: ref.version };
  }
  if (typeof first === 'string' && typeof second === 'string') return { name: first, version: second };
  return pickVersion(s, title, typeof first === 'string' ? first : (first as ModelsNode | undefined)?.kind === 'model' ? (first as ModelsNode & { kind: 'model' }).model.name : undefined);
}

async function pickVersion(s: CairnServices, title: string, model?: string): Promise<VersionRef | undefined> {
  const sc = await servingClient(s.backend);
  const names = model ? [model] : (await sc.searchRegisteredModels()).map((m) => m.name);
  const versions = (await Promise.all(names.map((n) => sc.searchModelVersions(n)))).flatMap(sortVersions);
  if (!versions.length) {
    void vscode.window.showInformationMessage('Cairn: no registered model yet. Register one from a run (right-click a run → Register Model…).');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    versions.map((v) => ({ label: `${v.name} v${v.version}`, description: aliasText(v.aliases), detail: v.source, ref: { name: v.name, version: v.version } })),
    { title, matchOnDescription: true },
  );
  return picked?.ref;
}

/** The deployment a command acts on: a Deployments tree node, a name, or a quick pick. */
export async function deploymentFromArgs(s: CairnServices, args: unknown[], title: string): Promise<string | undefined> {
  const [first] = args;
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object') {
    const node = first as DeploymentsNode;
    if (node.kind === 'deployment') return node.deployment.name;
    if (node.kind === 'detail') return node.deployment;
  }
  const list = await (await servingClient(s.backend)).deployments();
  if (!list.length) {
    void vscode.window.showInformationMessage('Cairn: nothing is deployed. Deploy a model version from the Models view.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    list.map((d) => ({ label: d.name, description: `${d.model_name} v${d.version} · ${d.state}` })),
    { title },
  );
  return picked?.label;
}

/** True when the caller passed `{confirm: false}` (tests, scripted use): no modal. */
export const quiet = (args: unknown[]): boolean => args.some((a) => a && typeof a === 'object' && (a as { confirm?: boolean }).confirm === false);
