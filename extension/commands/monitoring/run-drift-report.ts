import * as vscode from 'vscode';
import type { DriftSource, StoredDriftReport } from '../../../backend/api/drift';
import type { CairnCommand, CairnServices } from '../command';
import { driftSourceArg, sourceLabel } from './drift-source-arg';

const TABLES = { Tables: ['csv', 'tsv', 'jsonl', 'ndjson', 'parquet'] };

/** Asks for one side: a registered dataset (newest version) or a table file in the workspace. */
async function pickSource(s: CairnServices, side: 'reference' | 'current', workspace: string): Promise<DriftSource | undefined> {
  const client = await s.backend.ready();
  const datasets = await client.listDatasets().catch(() => []);
  const FILE = '$(file) Choose a file…';
  const picked = datasets.length
    ? await vscode.window.showQuickPick([FILE, ...datasets.map((d) => `dataset:${d.name}`)], { title: `Cairn: Run Drift Report — ${side} data` })
    : FILE;
  if (!picked) return undefined;
  if (picked !== FILE) return driftSourceArg(picked, workspace);
  const uris = await vscode.window.showOpenDialog({ title: `Cairn: ${side} data`, canSelectMany: false, filters: TABLES, defaultUri: vscode.Uri.file(workspace) });
  return uris?.[0] ? driftSourceArg(uris[0], workspace) : undefined;
}

/**
 * Run Drift Report…: reference and current data (args: a workspace file, a Uri,
 * `dataset:NAME[@VERSION]` or a DriftSource; asked for when missing), computed by the backend and
 * shown in the drift report panel. Returns the stored report.
 */
export const runDriftReport: CairnCommand = {
  id: 'cairn.drift.runReport',
  async run(s, ...args): Promise<StoredDriftReport | undefined> {
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!workspace) throw new Error('Open a folder first: drift reports read data inside the workspace.');
    const reference = args[0] !== undefined ? driftSourceArg(args[0], workspace) : await pickSource(s, 'reference', workspace);
    if (!reference) return undefined;
    const current = args[1] !== undefined ? driftSourceArg(args[1], workspace) : await pickSource(s, 'current', workspace);
    if (!current) return undefined;
    const client = await s.backend.ready();
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Cairn: drift report ${sourceLabel(reference)} → ${sourceLabel(current)}` }, () =>
      client.createDriftReport({ reference, current }),
    );
    await s.panels.openDriftReport(report.id, `Drift: ${sourceLabel(reference)} → ${sourceLabel(current)}`);
    return report;
  },
};
