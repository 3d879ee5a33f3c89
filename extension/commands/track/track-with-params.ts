import * as path from 'node:path';
import * as vscode from 'vscode';
import { RUN_TAGS } from '../../../backend/api/run-record';
import { formatParams, parseParams } from '../../track/run-command-line';
import type { CairnCommand, CairnServices } from '../command';
import { scriptUri } from './track-run';

/** Track with params…: a quick input prefilled with the params of this script's last run. */
export const trackWithParams: CairnCommand = {
  id: 'cairn.track.runWithParams',
  async run(s, uriArg?: unknown, paramsArg?: unknown) {
    const uri = scriptUri(uriArg);
    if (!uri) throw new Error('open a training script first');
    let text = typeof paramsArg === 'string' ? paramsArg : undefined;
    if (text === undefined) {
      const last = await lastParams(s, uri).catch(() => '');
      text = await vscode.window.showInputBox({
        title: `Cairn: Track ${path.basename(uri.fsPath)} with params`,
        prompt: 'Params as key=value pairs (passed to `cairn run --param`)',
        value: last,
        placeHolder: 'lr=0.01 epochs=10',
        validateInput: (v) => {
          try {
            parseParams(v);
            return undefined;
          } catch (err) {
            return (err as Error).message;
          }
        },
      });
    }
    if (text === undefined) return undefined;
    const terminal = await s.launcher.track(uri, parseParams(text));
    return { terminal: terminal.name, script: uri.fsPath, params: text };
  },
};

/** The params of the newest run whose source is this script. */
async function lastParams(s: CairnServices, uri: vscode.Uri): Promise<string> {
  const client = await s.backend.ready();
  const rel = vscode.workspace.asRelativePath(uri, false);
  const exps = await client.searchExperiments();
  const res = await client.searchRuns({
    experiment_ids: exps.map((e) => e.experiment_id),
    filter: `tags."${RUN_TAGS.sourceName}" LIKE '%${path.basename(rel).replace(/'/g, '')}'`,
    order_by: ['attributes.start_time DESC'],
    max_results: 1,
  });
  return formatParams(res.runs[0]?.data.params ?? []);
}
