import * as vscode from 'vscode';
import type { Run } from '../../backend/api/mlflow';
import { RUN_ARTIFACTS, type EnvironmentFingerprint } from '../../backend/api/run-record';
import type { BackendConnection } from '../backend/backend-connection';
import { runName } from '../runs/run-presentation';
import { runSummaryYaml } from './run-summary';

export const RUN_SCHEME = 'cairn-run';

/** Produces the text of code files at a run's state (set by the code diff service). */
export type CodeTextSource = (runId: string, file: string, side: 'base' | 'run') => Promise<string>;

/**
 * Read-only virtual documents of runs: `cairn-run:/summary/<run>/<name>.yaml` (the YAML summary
 * Diff Runs compares), `cairn-run:/artifact/<run>/<path>` (e.g. the terminal log) and
 * `cairn-run:/code/<run>/<file>?side=base|run` (the code of a run, for Diff Run Code).
 */
export class RunDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  codeText: CodeTextSource | undefined;

  constructor(private readonly backend: BackendConnection) {}

  uriFor(run: Run): vscode.Uri {
    const safe = runName(run).replace(/[^\w.-]+/g, '_').slice(0, 60) || 'run';
    return vscode.Uri.from({ scheme: RUN_SCHEME, path: `/summary/${run.info.run_id}/${safe}.yaml` });
  }

  artifactUri(run: Run, relPath: string): vscode.Uri {
    return vscode.Uri.from({ scheme: RUN_SCHEME, path: `/artifact/${run.info.run_id}/${relPath}` });
  }

  codeUri(runId: string, file: string, side: 'base' | 'run', label?: string): vscode.Uri {
    return vscode.Uri.from({ scheme: RUN_SCHEME, path: `/code/${runId}/${file}`, query: `side=${side}${label ? `&label=${encodeURIComponent(label)}` : ''}` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [, kind, runId, ...rest] = uri.path.split('/');
    const client = await this.backend.ready();
    if (!runId) throw new Error(`bad Cairn document ${uri.toString()}`);
    if (kind === 'summary') {
      const run = await client.getRun(runId);
      const [experimentName, environment] = await Promise.all([
        client.mlflow<{ experiment: { name: string } }>('GET', 'experiments/get', { experiment_id: run.info.experiment_id }).then((r) => r.experiment.name, () => undefined),
        client.downloadArtifact(run.info, RUN_ARTIFACTS.environment).then((b) => (b ? (JSON.parse(new TextDecoder().decode(b)) as EnvironmentFingerprint) : undefined), () => undefined),
      ]);
      return runSummaryYaml(run, { experimentName, environment });
    }
    if (kind === 'artifact') {
      const run = await client.getRun(runId);
      const bytes = await client.downloadArtifact(run.info, rest.join('/'));
      return bytes ? new TextDecoder().decode(bytes) : `(${rest.join('/')} was not recorded for this run)`;
    }
    if (kind === 'code') {
      if (!this.codeText) throw new Error('code documents are not available');
      const side = new URLSearchParams(uri.query).get('side') === 'base' ? 'base' : 'run';
      return this.codeText(runId, rest.join('/'), side);
    }
    throw new Error(`unknown Cairn document ${uri.toString()}`);
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
