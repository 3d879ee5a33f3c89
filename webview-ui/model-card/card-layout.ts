/** What the model card panel shows, derived from the backend's ModelCard. Pure (no DOM, no Lit). */
import type { DatasetInput, KeyValue, Metric } from '../../backend/api/mlflow';
import type { ModelCard, TensorSpec } from '../../backend/api/registry';

/** `[-1, 4]` → `[-1, 4]`; variable dims stay -1 (the batch is dim 0). */
export const shapeLabel = (shape: number[]): string => `[${shape.join(', ')}]`;

/** A signature table row per tensor. */
export function tensorRows(specs: TensorSpec[]): { name: string; type: string; shape: string }[] {
  return specs.map((t) => ({ name: t.name, type: t.datatype, shape: shapeLabel(t.shape) }));
}

export const sortedMetrics = (metrics: Metric[]): Metric[] => [...metrics].sort((a, b) => a.key.localeCompare(b.key));
export const sortedParams = (params: KeyValue[]): KeyValue[] => [...params].sort((a, b) => a.key.localeCompare(b.key));

/** The recorded command (`cairn.command` holds a JSON argv) as one line; anything else as recorded. */
export function commandLine(recorded: string | undefined): string {
  if (!recorded) return '';
  try {
    const argv = JSON.parse(recorded) as unknown;
    if (Array.isArray(argv) && argv.every((a) => typeof a === 'string')) return argv.map((a) => (/[\s"'$`\\]/.test(a) || a === '' ? JSON.stringify(a) : a)).join(' ');
  } catch {
    // not JSON: shown as recorded
  }
  return recorded;
}

/** `0123456789ab on main (uncommitted changes)`, or '' when no commit was recorded. */
export function codeLabel(run: NonNullable<ModelCard['run']>): string {
  if (!run.git_commit) return '';
  return `${run.git_commit.slice(0, 12)}${run.git_branch ? ` on ${run.git_branch}` : ''}${run.git_dirty ? ' (uncommitted changes)' : run.git_dirty === false ? ' (clean)' : ''}`;
}

/** One row per data version the run used: name, digest, context (train/eval…), source. */
export function datasetRows(datasets: DatasetInput[]): { name: string; digest: string; context: string; source: string }[] {
  return datasets.map((d) => ({
    name: d.dataset.name,
    digest: d.dataset.digest,
    context: d.tags.find((t) => t.key === 'mlflow.data.context')?.value ?? '',
    source: d.dataset.source,
  }));
}

export const formatBytes = (n: number): string => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`);

export const formatTime = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

/** Where the signature came from, said plainly. */
export function signatureSourceLabel(source: 'model' | 'sample' | 'mlmodel'): string {
  return { model: 'declared by the model files', sample: 'inferred from a sample', mlmodel: "from the MLmodel file's signature" }[source];
}
