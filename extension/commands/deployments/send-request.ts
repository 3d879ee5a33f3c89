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
    const editor = vscode.window.activeTextEditor;
    const text = typeof args[1] === 'string' ? args[1] : editor?.document.getText();
    if (text === undefined) throw new Error('open a JSON request first (Test Deployment opens one)');
    const fromEditor = typeof args[0] === 'string' || (args[0] && typeof args[0] === 'object') ? undefined : editor && s.testRequests.deploymentOf(editor.document);
    const name = fromEditor ?? (await deploymentFromArgs(s, args, 'Cairn: Send Test Request to…'));
    if (!name) return undefined;
    const res = await s.testRequests.send(name, text);
    if (!res.ok) void vscode.window.setStatusBarMessage(`Cairn: ${name} answered ${res.status}`, 5000);
    return res;
  },
};
