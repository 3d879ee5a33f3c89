import * as vscode from 'vscode';
import type { BackendConnection } from '../backend/backend-connection';
import { servingClient } from '../backend/serving';
import { modelCardMarkdown } from './model-card-markdown';

export const MODEL_SCHEME = 'cairn-model';

/**
 * Read-only model cards: `cairn-model:/card/<name>/<version>/<name>-v<version>.md`, rendered from
 * the backend's card (signature, metrics, lineage to the run). Refreshed when the model changes.
 */
export class ModelDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly open = new Map<string, vscode.Uri>();

  constructor(private readonly backend: BackendConnection) {}

  cardUri(name: string, version: string): vscode.Uri {
    const safe = name.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'model';
    return vscode.Uri.from({ scheme: MODEL_SCHEME, path: `/card/${encodeURIComponent(name)}/${encodeURIComponent(version)}/${safe}-v${version}.md` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [, kind, name, version] = uri.path.split('/');
    if (kind !== 'card' || !name || !version) throw new Error(`unknown Cairn model document ${uri.toString()}`);
    this.open.set(uri.toString(), uri);
    const card = await (await servingClient(this.backend)).modelCard(decodeURIComponent(name), decodeURIComponent(version));
    return modelCardMarkdown(card);
  }

  /** A model changed (alias moved, description edited): re-render its open cards. */
  modelChanged(name: string): void {
    const prefix = `/card/${encodeURIComponent(name)}/`;
    for (const uri of this.open.values()) if (uri.path.startsWith(prefix)) this.changeEmitter.fire(uri);
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
