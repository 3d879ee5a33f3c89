import * as vscode from 'vscode';
import { servingClient } from '../../backend/serving';
import type { CairnCommand } from '../command';
import { deploymentFromArgs, quiet } from '../model-args';

/** Stops a deployment and removes it. A modal confirms unless called with `{confirm: false}`. */
export const undeploy: CairnCommand = {
  id: 'cairn.deployment.undeploy',
  async run(s, ...args) {
    const name = await deploymentFromArgs(s, args, 'Cairn: Undeploy');
    if (!name) return undefined;
    if (!quiet(args)) {
      const ok = await vscode.window.showWarningMessage(`Undeploy ${name}? Its endpoints stop answering (the registered model stays).`, { modal: true }, 'Undeploy');
      if (ok !== 'Undeploy') return undefined;
    }
    await (await servingClient(s.backend)).undeploy(name);
    return name;
  },
};
