import type { CairnCommand } from '../command';
import { deploymentFromArgs } from '../model-args';

/** Opens a JSON editor with a sample request for the deployment (from its signature); send it with Send Test Request. */
export const openTestRequest: CairnCommand = {
  id: 'cairn.deployment.testRequest',
  async run(s, ...args) {
    const name = await deploymentFromArgs(s, args, 'Cairn: Test Deployment');
    if (!name) return undefined;
    return (await s.testRequests.open(name)).uri.toString();
  },
};
