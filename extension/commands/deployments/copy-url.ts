import * as vscode from 'vscode';
import type { DeploymentsNode } from '../../deployments/deployments-tree';
import type { CairnCommand } from '../command';
import { deploymentFromArgs } from '../model-args';

/** Copies a deployment's MLflow scoring URL (or the URL of the clicked detail row). */
export const copyDeploymentUrl: CairnCommand = {
  id: 'cairn.deployment.copyUrl',
  async run(s, ...args) {
    const [first] = args;
    let url: string | undefined;
    if (typeof first === 'string' && /^https?:\/\//.test(first)) url = first;
    else if (first && typeof first === 'object' && (first as DeploymentsNode).kind === 'detail') url = (first as DeploymentsNode & { kind: 'detail' }).row.url;
    if (!url) {
      const name = await deploymentFromArgs(s, args, 'Cairn: Copy Deployment URL');
      const client = name ? await s.backend.ready() : undefined;
      if (!name || !client) return undefined;
      url = `${client.url}/deployments/${encodeURIComponent(name)}/invocations`;
    }
    await vscode.env.clipboard.writeText(url);
    void vscode.window.setStatusBarMessage(`Cairn: copied ${url}`, 3000);
    return url;
  },
};
