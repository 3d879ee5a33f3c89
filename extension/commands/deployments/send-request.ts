import * as vscode from 'vscode';
import type { TestResponse } from '../../deployments/test-requests';
import type { CairnCommand } from '../command';
import { deploymentFromArgs } from '../model-args';

/**
 * Posts the active JSON editor's text (or `text`) to a deployment — OIP when it holds named
 * tensors, MLflow scoring otherwise — and shows the answer beside it. Args: (deployment?, text?).
 */
export const sendTestRequest: CairnCommand = {
  id: 'cairn.deployment.sendRequest',
  async run(s, ...args): Promise<TestResponse | undefined> {
    // From the editor title the argument is the document's URI; from the palette there is none.
    const [first] = args;
    const uri = first instanceof vscode.Uri ? first : undefined;
    const doc = uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : vscode.window.activeTextEditor?.document;
    const text = typeof args[1] === 'string' ? args[1] : doc?.getText();
    if (text === undefined) throw new Error('open a JSON request first (Test Deployment opens one)');
    const explicit = first !== undefined && !uri;
    const name = (explicit ? undefined : doc && s.testRequests.deploymentOf(doc)) ?? (await deploymentFromArgs(s, explicit ? args : [], 'Cairn: Send Test Request to…'));
    if (!name) return undefined;
    const res = await s.testRequests.send(name, text);
    if (!res.ok) void vscode.window.setStatusBarMessage(`Cairn: ${name} answered ${res.status}`, 5000);
    return res;
  },
};
