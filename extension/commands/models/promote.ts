import * as vscode from 'vscode';
import type { PromoteResponse } from '../../../backend/api/registry';
import { servingClient } from '../../backend/serving';
import { COMMON_ALIASES } from '../../models/model-presentation';
import type { CairnCommand } from '../command';
import { versionFromArgs } from '../model-args';

/**
 * Points an alias (champion, challenger, …) at a version through the promotion endpoint, so any
 * deployment following that alias switches to it. Args: (version, alias?).
 */
export const promoteVersion: CairnCommand = {
  id: 'cairn.model.promote',
  async run(s, ...args) {
    const ref = await versionFromArgs(s, args, 'Cairn: Promote Model Version');
    if (!ref) return undefined;
    const given = args.find((a, i) => i > 0 && typeof a === 'string' && a !== ref.version);
    const alias = typeof given === 'string' ? given : await askAlias(ref.name, ref.version);
    if (!alias) return undefined;
    const res: PromoteResponse = await (await servingClient(s.backend)).promote(ref.name, ref.version, { alias });
    if (!res.promoted) throw new Error(`${ref.name} v${ref.version} was not promoted to @${alias}: ${res.reason ?? 'refused'}`);
    void vscode.window.setStatusBarMessage(`Cairn: ${ref.name} @${alias} → v${ref.version}${res.previous_version ? ` (was v${res.previous_version})` : ''}`, 5000);
    return res;
  },
};

async function askAlias(name: string, version: string): Promise<string | undefined> {
  const custom = 'Other alias…';
  const picked = await vscode.window.showQuickPick([...COMMON_ALIASES, custom], { title: `Promote ${name} v${version} to…` });
  if (picked !== custom) return picked;
  const typed = await vscode.window.showInputBox({ title: `Promote ${name} v${version}`, prompt: 'Alias (letters, digits, - and _)', validateInput: (v) => (/^[A-Za-z_][\w-]*$/.test(v) ? undefined : 'Letters, digits, - and _, not starting with a digit') });
  return typed?.trim() || undefined;
}
