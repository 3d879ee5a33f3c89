import * as vscode from 'vscode';
import type { RawInferenceResponse } from '../../backend/client/serving-client';
import type { BackendConnection } from '../backend/backend-connection';
import { servingClient } from '../backend/serving';
import { parseRequestBody, requestProtocol, responseDocument, sampleRequest } from './test-request';

export const RESPONSE_SCHEME = 'cairn-response';

export interface TestResponse extends RawInferenceResponse {
  deployment: string;
  /** The read-only document showing it. */
  uri: string;
}

/**
 * Test requests: an untitled JSON editor per request (pre-filled from the deployment's signature)
 * remembered with its deployment; sending posts its text as written and shows the answer in a
 * read-only `cairn-response:` document beside it.
 */
export class TestRequests implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly targets = new Map<string, string>();
  private readonly responses = new Map<string, string>();
  private seq = 0;

  constructor(private readonly backend: BackendConnection) {}

  /** Opens a new JSON editor with a sample body for `deployment`; returns its document. */
  async open(deployment: string): Promise<vscode.TextDocument> {
    const status = await (await servingClient(this.backend)).deployment(deployment);
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify(sampleRequest(status.signature), null, 2)}\n` });
    this.targets.set(doc.uri.toString(), deployment);
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  }

  /** The deployment a request editor was opened for. */
  deploymentOf(doc: vscode.TextDocument): string | undefined {
    return this.targets.get(doc.uri.toString());
  }

  async send(deployment: string, text: string): Promise<TestResponse> {
    const parsed = parseRequestBody(text);
    if (!parsed.ok) throw new Error(parsed.error);
    const res = await (await servingClient(this.backend)).sendRaw(deployment, requestProtocol(parsed.body), text);
    const uri = vscode.Uri.from({ scheme: RESPONSE_SCHEME, path: `/${encodeURIComponent(deployment)}/response-${++this.seq}.jsonc` });
    this.responses.set(uri.toString(), responseDocument(deployment, res));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    return { ...res, deployment, uri: uri.toString() };
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.responses.get(uri.toString()) ?? '// this response is no longer available: send the request again\n';
  }

  dispose(): void {
    this.changeEmitter.dispose();
    this.targets.clear();
    this.responses.clear();
  }
}
