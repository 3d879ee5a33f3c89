import { MODEL_STAGES, type ModelStage } from '../api/mlflow';
import { invalidParam } from '../core/errors';

/** MLflow accepts stages in any case and answers with the canonical spelling. */
export function canonicalStage(stage: string): ModelStage {
  const found = MODEL_STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (!found) throw invalidParam(`Invalid Model Version stage: ${stage}. Value must be one of ${MODEL_STAGES.join(', ')}.`);
  return found;
}

export function parseVersion(version: string): number {
  if (!/^\d{1,15}$/.test(String(version))) throw invalidParam(`Parameter 'version' must be an integer, got '${version}'.`);
  return Number(version);
}
