import * as vscode from 'vscode';
import type { DeploymentStatus } from '../../../backend/api/serving';
import { servingClient } from '../../backend/serving';
import type { CairnCommand } from '../command';
import { deploymentFromArgs } from '../model-args';

/** Switches a deployment back to the version it served before (pinning it there). */
export const rollbackDeployment: CairnCommand = {
  id: 'cairn.deployment.rollback',
  async run(s, ...args): Promise<DeploymentStatus | undefined> {
    const name = await deploymentFromArgs(s, args, 'Cairn: Roll Back Deployment');
    if (!name) return undefined;
    const status = await (await servingClient(s.backend)).rollback(name);
    void vscode.window.setStatusBarMessage(`Cairn: ${name} rolled back to v${status.version}`, 5000);
    return status;
  },
};
