import * as vscode from 'vscode';
import type { ModelVersion } from '../../../backend/api/mlflow';
import { servingClient } from '../../backend/serving';
import { findModelFolders, modelSources, type ModelSource } from '../../models/model-sources';
import { runName } from '../../runs/run-presentation';
import type { CairnCommand } from '../command';
import { runsFromArgs } from '../run-args';

/**
 * Registers a run's model (an artifact folder a runtime can serve, or a logged model) as a new
 * version of a registered model, created if needed. Args: (run, {artifactPath?, modelId?, name?}).
 */
export const registerModel: CairnCommand = {
  id: 'cairn.model.register',
  async run(s, ...args): Promise<ModelVersion | undefined> {
    const runs = await runsFromArgs(s, args.slice(0, 1), { min: 1, max: 1, title: 'Cairn: Register Model from Run' });
    const run = runs?.[0];
    if (!run) return undefined;
    const opts = (args.find((a, i) => i > 0 && a && typeof a === 'object' && !Array.isArray(a)) ?? {}) as { artifactPath?: string; modelId?: string; name?: string };
    const client = await s.backend.ready();
    const sc = await servingClient(s.backend);
    const folders = opts.artifactPath !== undefined ? [opts.artifactPath] : opts.modelId ? [] : await findModelFolders((p) => client.listArtifacts(run.info.run_id, p));
    const logged = opts.artifactPath !== undefined ? [] : (await sc.searchLoggedModels([run.info.experiment_id]).catch(() => [])).filter((m) => m.info.source_run_id === run.info.run_id && (!opts.modelId || m.info.model_id === opts.modelId));
    const sources = modelSources(run.info.artifact_uri, folders, logged, runName(run));
    if (!sources.length) throw new Error(`run ${runName(run)} has no model to register: log a model folder (MLmodel, model.json, cairn-model.yaml or a .pkl) as an artifact, or a logged model`);
    const source = sources.length === 1 ? sources[0] : await pickSource(sources);
    if (!source) return undefined;
    const name = opts.name ?? (await vscode.window.showInputBox({ title: 'Cairn: Register Model', prompt: `Registered model name for ${source.label}`, value: source.suggestedName, validateInput: (v) => (v.trim() ? undefined : 'A name is required') }))?.trim();
    if (!name) return undefined;
    const version = await sc.registerModel(name, source.source, { runId: run.info.run_id, modelId: source.modelId });
    void vscode.window.setStatusBarMessage(`Cairn: registered ${name} v${version.version}`, 5000);
    return version;
  },
};

async function pickSource(sources: ModelSource[]): Promise<ModelSource | undefined> {
  const picked = await vscode.window.showQuickPick(sources.map((src) => ({ label: src.label, detail: src.source, src })), { title: 'Which model of the run?' });
  return picked?.src;
}
