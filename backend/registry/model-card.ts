import type { ModelCard } from '../api/registry';
import { RUN_TAGS } from '../api/run-record';
import { CairnError } from '../core/errors';
import { detectRuntime } from '../serving/runtimes/model-folder';
import type { MetadataStore } from '../store/metadata-store';
import type { ModelFile } from './model-files';
import { modelIdOfSource } from './model-ref';
import { signatureOfFolder, signatureOfTag } from './signature';

export interface CardDeps {
  meta: MetadataStore;
  /** The version's model folder on disk and its files (materialized from the object store). */
  folder(name: string, version: string): Promise<{ dir: string; files: ModelFile[] }>;
}

/**
 * A version's lineage and summary: its run (commit, branch, dirty state, command), that run's
 * metrics, params and data versions, the logged model, the files and the signature.
 */
export async function buildModelCard(deps: CardDeps, name: string, version: string): Promise<ModelCard> {
  const mv = await deps.meta.getModelVersion(name, version);
  const card: ModelCard = { name, version: mv, description: mv.description, aliases: mv.aliases, metrics: [], params: [], datasets: [], files: [] };
  const modelId = mv.model_id || modelIdOfSource(mv.source);
  if (modelId) card.logged_model_id = modelId;
  if (mv.run_id) {
    try {
      const run = await deps.meta.getRun(mv.run_id);
      const tag = (k: string) => run.data.tags.find((t) => t.key === k)?.value;
      card.run = {
        run_id: run.info.run_id,
        run_name: run.info.run_name,
        experiment_id: run.info.experiment_id,
        status: run.info.status,
        start_time: run.info.start_time,
        end_time: run.info.end_time,
        user_id: run.info.user_id,
        git_commit: tag(RUN_TAGS.gitCommit),
        git_branch: tag(RUN_TAGS.gitBranch),
        git_repo: tag(RUN_TAGS.gitRepoUrl),
        git_dirty: tag(RUN_TAGS.gitDirty) === undefined ? undefined : tag(RUN_TAGS.gitDirty) === 'true',
        command: tag(RUN_TAGS.command),
      };
      card.metrics = run.data.metrics;
      card.params = run.data.params;
      card.datasets = run.inputs.dataset_inputs;
    } catch (err) {
      if (!CairnError.is(err, 'RESOURCE_DOES_NOT_EXIST')) throw err;
    }
  }
  if (modelId && card.params.length === 0) card.params = (await deps.meta.getLoggedModel(modelId).catch(() => undefined))?.data.params ?? [];
  try {
    const { dir, files } = await deps.folder(name, version);
    card.files = files.map((f) => ({ path: f.path, size: f.size }));
    card.signature = signatureOfTag(mv.tags) ?? signatureOfFolder(dir);
    card.flavor = detectRuntime(dir);
  } catch (err) {
    if (!(err instanceof CairnError)) throw err;
    card.signature = signatureOfTag(mv.tags);
  }
  return card;
}
