import type { LoggedModel } from '../api/registry';
import { artifactPathOf } from '../artifacts/artifact-paths';
import { listArtifactTree, pushArtifacts } from './artifact-transfer';
import { allExperiments, targetArtifactUri, targetExperiment } from './experiments-map';
import { fingerprint } from './sync-state';
import type { SyncContext, SyncItem, SyncKind } from './sync-kind';

/**
 * MLflow 3 logged models (what `log_model` creates) with their tags, params, status and artifacts.
 * Model ids are kept, like run ids, so the runs that output them (synced first, outputs included)
 * and the registered versions made from them (synced after) keep pointing at them; the experiment
 * is the target's of the same name and the artifact URI moves to its location.
 */
export const loggedModelsKind: SyncKind = {
  name: 'logged-model',

  async *items(ctx: SyncContext): AsyncIterable<SyncItem> {
    for await (const exp of allExperiments(ctx)) {
      let token: string | undefined;
      do {
        const page = await ctx.source.mlflow<{ models?: LoggedModel[]; next_page_token?: string }>('POST', 'logged-models/search', {
          experiment_ids: [exp.experiment_id],
          max_results: 1000,
          page_token: token,
        });
        for (const model of page.models ?? []) {
          const files = await listArtifactTree(ctx.source, artifactPathOf(model.info.artifact_uri));
          yield { id: model.info.model_id, fingerprint: fingerprint(model, files) };
        }
        token = page.next_page_token || undefined;
      } while (token);
    }
  },

  async push(ctx: SyncContext, modelId: string): Promise<number> {
    const model = (await ctx.source.mlflow<{ model: LoggedModel }>('GET', `logged-models/${encodeURIComponent(modelId)}`)).model;
    const exp = await targetExperiment(ctx, model.info.experiment_id);
    let changes = exp.changes;
    const artifactUri = targetArtifactUri(model.info.artifact_uri, exp);
    const imported: LoggedModel = { ...model, info: { ...model.info, experiment_id: exp.remote.experiment_id, artifact_uri: artifactUri } };
    if ((await ctx.target.call<{ changed: boolean }>('POST', '/api/cairn/v1/sync/logged-models/import', { model: imported })).changed) changes++;
    changes += await pushArtifacts(ctx, artifactPathOf(model.info.artifact_uri), artifactPathOf(artifactUri));
    return changes;
  },
};
