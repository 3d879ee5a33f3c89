import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DataLogEntry } from '../../../backend/api/data';
import type { ProgressFn } from '../../../backend/data/progress';
import type { DatasetsNode } from '../../datasets/datasets-tree';
import { versionDescription, versionLabel } from '../../datasets/dataset-presentation';
import { ProgressSteps } from '../../datasets/progress-steps';
import type { DatasetService } from '../../datasets/dataset-service';
import type { CairnServices } from '../command';

type VersionNode = DatasetsNode & { kind: 'version' };

const isNode = (x: unknown): x is DatasetsNode => !!x && typeof x === 'object' && typeof (x as DatasetsNode).kind === 'string' && ['dataset', 'version', 'message'].includes((x as DatasetsNode).kind);

/** The nodes a tree menu passes: (clicked, allSelected) — the selection wins when it has several. */
export function nodesFromArgs(args: unknown[]): DatasetsNode[] {
  const [first, second] = args;
  if (Array.isArray(second) && second.length > 1 && second.every(isNode)) return second;
  if (Array.isArray(first)) return first.filter(isNode);
  return isNode(first) ? [first] : [];
}

/** Workspace-relative dataset paths from nodes, path strings, Uris, or `{paths}`. */
export function datasetPathsFromArgs(args: unknown[], folder: string): string[] {
  const out: string[] = [];
  const add = (x: unknown) => {
    if (typeof x === 'string') out.push(x);
    else if (x instanceof vscode.Uri) out.push(path.relative(folder, x.fsPath).split(path.sep).join('/'));
    else if (isNode(x)) out.push(x.kind === 'dataset' ? x.entry.path : x.path);
  };
  const [first, second] = args;
  if (Array.isArray(second) && second.length > 1) second.forEach(add);
  else if (Array.isArray(first)) first.forEach(add);
  else if (first && typeof first === 'object' && Array.isArray((first as { paths?: unknown }).paths)) (first as { paths: unknown[] }).paths.forEach(add);
  else add(first);
  return [...new Set(out)];
}

export const versionNodes = (args: unknown[]): VersionNode[] => nodesFromArgs(args).filter((n): n is VersionNode => n.kind === 'version');

/** Quick pick of a tracked dataset (palette use). */
export async function pickDataset(s: CairnServices, title: string): Promise<string | undefined> {
  const report = await s.datasets.tree.status();
  const entries = report?.entries ?? [];
  if (entries.length === 0) {
    void vscode.window.showInformationMessage('Cairn: no tracked datasets yet. Use "Cairn: Add Dataset" first.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    entries.map((e) => ({ label: e.path, description: e.state === 'clean' ? '' : e.state })),
    { title },
  );
  return picked?.label;
}

/** Quick pick of one or two committed versions of a dataset. */
export async function pickVersions(service: DatasetService, dataset: string, opts: { title: string; many: boolean }): Promise<DataLogEntry[] | undefined> {
  const versions = await service.versions(dataset);
  if (versions.length === 0) {
    void vscode.window.showInformationMessage(`Cairn: ${dataset} has no committed version yet (commit ${dataset}.cairn).`);
    return undefined;
  }
  const items = versions.map((v) => ({ label: versionLabel(v), description: versionDescription(v, false), v }));
  if (!opts.many) {
    const one = await vscode.window.showQuickPick(items, { title: opts.title });
    return one ? [one.v] : undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title: opts.title, canPickMany: true });
  return picked?.map((p) => p.v);
}

/** Runs a long data operation under a progress notification; cancellable when `cancellable`. */
export function withDataProgress<T>(title: string, cancellable: boolean, fn: (onProgress: ProgressFn, signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable }, (progress, token) => {
    const steps = new ProgressSteps();
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort(new Error('cancelled')));
    return fn((p) => progress.report(steps.next(p)), ac.signal).finally(() => sub.dispose());
  });
}
