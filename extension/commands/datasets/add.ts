import * as vscode from 'vscode';
import type { CairnCommand } from '../command';
import { datasetPathsFromArgs, withDataProgress } from './dataset-args';

/**
 * Add Dataset: versions files or folders (Explorer selection, paths, or an open dialog) like
 * `cairn data add` — content into the store, PATH.cairn pointers, the data git-ignored.
 */
export const addDataset: CairnCommand = {
  id: 'cairn.datasets.add',
  async run(s, ...args) {
    const service = s.datasets.requireService();
    let paths = datasetPathsFromArgs(args, service.folder);
    if (paths.length === 0) {
      const picked = await vscode.window.showOpenDialog({ title: 'Cairn: Add Dataset', canSelectFiles: true, canSelectFolders: true, canSelectMany: true, defaultUri: vscode.Uri.file(service.folder), openLabel: 'Version' });
      if (!picked?.length) return undefined;
      paths = datasetPathsFromArgs([picked], service.folder);
    }
    const results = await withDataProgress(`Cairn: adding ${paths.join(', ')}`, false, (onProgress) => service.add(paths, onProgress));
    s.datasets.tree.refresh();
    const pointers = results.filter((r) => r.changed).map((r) => r.pointer);
    const warnings = results.flatMap((r) => r.warnings);
    if (warnings.length) void vscode.window.showWarningMessage(`Cairn: ${warnings.join('; ')}`);
    void vscode.window.showInformationMessage(pointers.length ? `Cairn: versioned ${results.map((r) => r.path).join(', ')}. Commit ${pointers.join(', ')} to record the version.` : `Cairn: ${results.map((r) => r.path).join(', ')} unchanged.`);
    return results;
  },
};
