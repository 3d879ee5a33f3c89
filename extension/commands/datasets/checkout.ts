import * as vscode from 'vscode';
import type { CheckoutResult } from '../../../backend/data/checkout';
import type { CairnCommand } from '../command';
import { pickDataset, pickVersions, versionNodes, withDataProgress } from './dataset-args';

interface CheckoutArgs {
  path: string;
  /** A git revision; absent: the version the working tree's pointer names. */
  rev?: string;
  force?: boolean;
}

/**
 * Checkout Version: restores a dataset to a version from its history (a version node, `{path, rev}`,
 * or quick picks), writing its pointer too. Unsaved changes are only discarded after a confirmation
 * (or `force`).
 */
export const checkoutDatasetVersion: CairnCommand = {
  id: 'cairn.datasets.checkout',
  async run(s, ...args) {
    const service = s.datasets.requireService();
    const req = await checkoutRequest(s, args);
    if (!req) return undefined;
    const attempt = (force: boolean) =>
      withDataProgress(`Cairn: checking out ${req.path}${req.rev ? ` at ${req.rev.slice(0, 8)}` : ''}`, false, (onProgress) => service.checkout(req.path, { rev: req.rev, force, onProgress }));
    let results: CheckoutResult[];
    try {
      results = await attempt(req.force ?? false);
    } catch (err) {
      if ((err as { code?: string }).code !== 'RESOURCE_CONFLICT' || req.force !== undefined) throw err;
      const discard = await vscode.window.showWarningMessage(`${(err as Error).message}`, { modal: true }, 'Discard Changes');
      if (discard !== 'Discard Changes') return undefined;
      results = await attempt(true);
    }
    s.datasets.tree.refresh();
    return results;
  },
};

async function checkoutRequest(s: Parameters<CairnCommand['run']>[0], args: unknown[]): Promise<CheckoutArgs | undefined> {
  const [node] = versionNodes(args);
  if (node) return { path: node.path, rev: node.version.commit };
  const first = args[0] as Partial<CheckoutArgs> | undefined;
  if (first && typeof first === 'object' && typeof first.path === 'string') return { path: first.path, rev: first.rev, force: first.force };
  const path = await pickDataset(s, 'Cairn: Checkout Dataset Version — dataset');
  if (!path) return undefined;
  const [version] = (await pickVersions(s.datasets.requireService(), path, { title: `Cairn: version of ${path} to restore`, many: false })) ?? [];
  return version ? { path, rev: version.commit } : undefined;
}
