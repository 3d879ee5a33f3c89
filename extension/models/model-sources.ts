/**
 * Where a run's registrable models are: artifact folders that a serving runtime can load (an
 * MLflow `MLmodel`, a TF.js `model.json`, a `cairn-model.yaml` command or a scikit-learn pickle)
 * and the run's MLflow 3 logged models. Pure: the artifact listing is passed in.
 */
import type { FileInfo } from '../../backend/api/mlflow';
import type { LoggedModel } from '../../backend/api/registry';

export interface ModelSource {
  /** What the quick pick shows: `model/` or `logged model my-model`. */
  label: string;
  /** The `source` of the new version. */
  source: string;
  /** The artifact folder, relative to the run's artifact root ('' = the root). */
  artifactPath?: string;
  modelId?: string;
  /** A default registered-model name. */
  suggestedName: string;
}

const MARKERS = new Set(['MLmodel', 'model.json', 'cairn-model.yaml']);
export const isModelFolder = (files: readonly FileInfo[]): boolean => files.some((f) => !f.is_dir && (MARKERS.has(baseName(f.path)) || /\.(pkl|pickle)$/.test(f.path)));
const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** Model folders among the run's artifacts, breadth first, `maxDepth` folders deep. */
export async function findModelFolders(list: (path: string) => Promise<FileInfo[]>, maxDepth = 2, maxFolders = 50): Promise<string[]> {
  const found: string[] = [];
  let level = [''];
  let visited = 0;
  for (let depth = 0; depth <= maxDepth && level.length; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (++visited > maxFolders) return found;
      const files = await list(dir);
      if (isModelFolder(files)) found.push(dir);
      else next.push(...files.filter((f) => f.is_dir).map((f) => f.path));
    }
    level = next;
  }
  return found;
}

export function modelSources(artifactUri: string, folders: string[], logged: LoggedModel[], runName: string): ModelSource[] {
  const root = artifactUri.replace(/\/+$/, '');
  const fallback = (runName || 'model').replace(/[^\w.-]+/g, '-');
  return [
    ...folders.map((p) => ({ label: p ? `${p}/` : '(artifact root)', source: p ? `${root}/${p}` : root, artifactPath: p, suggestedName: p ? baseName(p) === 'model' ? fallback : baseName(p) : fallback })),
    ...logged.map((m) => ({ label: `logged model ${m.info.name}`, source: `models:/${m.info.model_id}`, modelId: m.info.model_id, suggestedName: m.info.name || fallback })),
  ];
}
