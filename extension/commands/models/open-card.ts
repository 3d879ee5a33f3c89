import * as vscode from 'vscode';
import type { CairnCommand } from '../command';
import { versionFromArgs } from '../model-args';

/** Opens a version's model card (signature, metrics, lineage to its run) as a read-only Markdown document. */
export const openModelCard: CairnCommand = {
  id: 'cairn.model.openCard',
  async run(s, ...args) {
    const ref = await versionFromArgs(s, args, 'Cairn: Open Model Card');
    if (!ref) return undefined;
    const uri = s.modelDocs.cardUri(ref.name, ref.version);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true });
    return uri.toString();
  },
};
