import * as vscode from 'vscode';
import type { PipelineRunResult } from '../../../backend/api/drift';
import type { CairnServices } from '../command';
import type { CairnCommand } from '../command';

/** Runs the workspace pipeline on the backend and waits for it, with progress; tells how it ended. */
export async function runPipelineOnBackend(s: CairnServices, trigger: string, title: string, monitor?: string): Promise<PipelineRunResult | undefined> {
  const client = await s.backend.ready();
  const res = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => client.runPipeline({ wait: true, trigger, ...(monitor ? { monitor } : {}) }));
  s.pipeline.refresh();
  s.monitors.refresh();
  const r = res.result;
  if (!r) throw new Error('The pipeline run did not report a result: see the audit trail (cairn monitors audit) or the Cairn output.');
  const stages = r.stages.map((st) => `${st.stage} ${st.status}`).join(', ');
  const promoted = r.promoted ? ` Promoted ${r.promoted.model} v${r.promoted.version} to @${r.promoted.alias}.` : '';
  if (r.status === 'succeeded') void vscode.window.showInformationMessage(`Cairn: pipeline succeeded (${stages}).${promoted}`);
  else void vscode.window.showWarningMessage(`Cairn: pipeline ${r.status.replace('_', ' ')} (${stages}).${r.gates.filter((g) => !g.passed).map((g) => ` Gate ${g.gate}: ${g.detail}`).join('')}`);
  return r;
}

/** Run Pipeline: cairn.yaml's stages on the backend (like `cairn pipeline run`). Returns the result. */
export const runPipeline: CairnCommand = {
  id: 'cairn.pipeline.run',
  run: (s) => runPipelineOnBackend(s, 'manual', 'Cairn: running the pipeline…'),
};
