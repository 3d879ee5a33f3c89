import { CAIRN_DATASET_SOURCE_TYPE, datasetDigest, type DatasetSource, type DatasetVersionInput, type DataPointer } from '../api/data';
import type { DatasetInput } from '../api/mlflow';
import type { CairnClient } from '../client/cairn-client';
import { dataPathOf, readPointer } from './pointer';
import { datasetVersionsOf } from './push';
import { StatCache } from './stat-cache';
import { statusOf } from './status';
import { listPointers } from './tracked';
import { openWorkspace } from './workspace';

/** Tag on a run input: the state of the data on disk when the run started (`clean`, `modified`, `missing`). */
export const DATA_STATE_TAG = 'cairn.data.state';

export interface RunDatasets {
  /** For MLflow's `runs/log-inputs`: one per tracked dataset, naming the version its pointer records. */
  inputs: DatasetInput[];
  /** For `POST /api/cairn/v1/datasets/versions`, so the backend knows the versions the inputs name. */
  versions: DatasetVersionInput[];
  /** One line per dataset whose data on disk is not the version its pointer names. */
  warnings: string[];
}

/**
 * The version of every tracked dataset in the workspace, for `cairn run` to record when a run
 * starts, with a warning for each one modified (or missing) since `cairn data add`. Fast on
 * unchanged data: the stat cache answers without reading files. Needs no backend.
 */
export async function datasetInputsForRun(workspace: string): Promise<RunDatasets> {
  const ws = await openWorkspace(workspace);
  const pointers = await listPointers(ws);
  const cache = StatCache.load(ws.stateDir);
  const out: RunDatasets = { inputs: [], versions: [], warnings: [] };
  const tracked: { pointer: string; data: DataPointer }[] = [];
  try {
    for (const pointer of pointers) {
      const data = readPointer(ws, pointer);
      tracked.push({ pointer, data });
      const status = await statusOf(ws, pointer, data, cache);
      const path = dataPathOf(pointer);
      if (status.state === 'modified') out.warnings.push(`${path} was modified since it was added: the run records the version its pointer names (${data.hash.slice(0, 12)}…), not the data on disk. Run 'cairn data add ${path}' to version what you train on.`);
      if (status.state === 'missing') out.warnings.push(`${path} is missing from disk (its pointer names ${data.hash.slice(0, 12)}…); run 'cairn data checkout ${path}'.`);
      out.inputs.push(toInput(path, data, status.state));
    }
  } finally {
    cache.save();
  }
  out.versions = await datasetVersionsOf(ws, tracked);
  return out;
}

/** Logs the inputs on the run and registers their versions; returns the warnings to show the user. */
export async function recordRunDatasets(client: CairnClient, runId: string, workspace: string): Promise<string[]> {
  const d = await datasetInputsForRun(workspace);
  if (d.versions.length) await client.registerDatasetVersions(d.versions);
  if (d.inputs.length) await client.logInputs(runId, d.inputs);
  return d.warnings;
}

function toInput(path: string, p: DataPointer, state: string): DatasetInput {
  const source: DatasetSource = { path, hash: p.hash, kind: p.kind, size: p.size, files: p.files };
  const dataset: DatasetInput['dataset'] = { name: path, digest: datasetDigest(p.hash), source_type: CAIRN_DATASET_SOURCE_TYPE, source: JSON.stringify(source) };
  if (p.tabular) {
    // MLflow's own shapes: a column spec for the schema, a profile with the row count.
    dataset.schema = JSON.stringify({ mlflow_colspec: p.tabular.columns.map((c) => ({ name: c.name, type: c.type })) });
    dataset.profile = JSON.stringify({ num_rows: p.tabular.rows, num_elements: p.tabular.rows * p.tabular.columns.length });
  }
  return { tags: [{ key: DATA_STATE_TAG, value: state }], dataset };
}

/** The tracked datasets a run recorded (inputs with `source_type` cairn), with their full hashes. */
export function datasetSourcesOf(inputs: DatasetInput[]): (DatasetSource & { state?: string })[] {
  const out: (DatasetSource & { state?: string })[] = [];
  for (const i of inputs) {
    if (i.dataset.source_type !== CAIRN_DATASET_SOURCE_TYPE) continue;
    try {
      const s = JSON.parse(i.dataset.source) as DatasetSource;
      if (typeof s.path === 'string' && /^[0-9a-f]{64}$/.test(s.hash) && (s.kind === 'file' || s.kind === 'dir')) {
        out.push({ ...s, state: i.tags.find((t) => t.key === DATA_STATE_TAG)?.value });
      }
    } catch {
      // not one of ours after all
    }
  }
  return out;
}
