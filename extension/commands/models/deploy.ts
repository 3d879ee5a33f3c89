import * as vscode from 'vscode';
import type { DeploymentStatus } from '../../../backend/api/serving';
import { servingClient } from '../../backend/serving';
import type { CairnCommand } from '../command';
import { versionFromArgs, type VersionRef } from '../model-args';

export interface DeployOptions {
  /** Deployment name (default: the model's name). */
  name?: string;
  /** Follow this alias (the deployment switches when it moves) instead of pinning the version. */
  alias?: string;
}

/** Deploys a version (pinned, or following one of its aliases) and reveals it in the Deployments view. Args: (version, DeployOptions?). */
export const deployVersion: CairnCommand = {
  id: 'cairn.model.deploy',
  async run(s, ...args): Promise<DeploymentStatus | undefined> {
    const ref = await versionFromArgs(s, args, 'Cairn: Deploy Model Version');
    if (!ref) return undefined;
    const given = args.find((a, i) => i > 0 && a && typeof a === 'object' && !Array.isArray(a)) as DeployOptions | undefined;
    const sc = await servingClient(s.backend);
    const binding = given ? { alias: given.alias } : await askBinding(ref, (await sc.getModelVersion(ref.name, ref.version)).aliases);
    if (!binding) return undefined;
    const name = given ? (given.name ?? ref.name) : (await vscode.window.showInputBox({ title: 'Cairn: Deploy', prompt: 'Deployment name (its URL is /deployments/<name>/invocations)', value: ref.name, validateInput: (v) => (/^[\w.-]+$/.test(v) ? undefined : 'Letters, digits, ., - and _') }))?.trim();
    if (!name) return undefined;
    const model = binding.alias ? `${ref.name}@${binding.alias}` : `${ref.name}/${ref.version}`;
    const status = await sc.deploy({ model, name });
    void vscode.window.setStatusBarMessage(`Cairn: deployed ${model} as ${status.name} (${status.state})`, 5000);
    return status;
  },
};

async function askBinding(ref: VersionRef, aliases: string[]): Promise<{ alias?: string } | undefined> {
  const items = [
    ...aliases.map((a) => ({ label: `Follow @${a}`, description: `switches when @${a} moves`, binding: { alias: a } })),
    { label: `Pin version ${ref.version}`, description: 'stays on this version', binding: {} as { alias?: string } },
  ];
  if (items.length === 1) return items[0]!.binding;
  return (await vscode.window.showQuickPick(items, { title: `Deploy ${ref.name} v${ref.version}` }))?.binding;
}
