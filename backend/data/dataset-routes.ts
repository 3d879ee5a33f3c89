import type { DatasetVersionInput, GetDatasetResponse, ListDatasetsResponse, TabularSummary } from '../api/data';
import { invalidParam } from '../core/errors';
import type { EventBus } from '../events/event-bus';
import type { Message } from '../server/message';
import type { Route } from '../server/router';
import type { DatasetStore } from '../store/metadata-store';

const HASH = /^[0-9a-f]{64}$/;
const COMMIT = /^[0-9a-f]{7,64}$/;
const MAX_NAME = 500;
const MAX_VERSIONS = 10_000;
/** A version's serialised table summary (schema + stats) may not exceed this. */
const MAX_TABULAR_JSON = 256 * 1024;

/** Datasets and their versions (`/api/cairn/v1/datasets…`): registered by `cairn data push` and `cairn run`. */
export function datasetRoutes(store: DatasetStore, events: EventBus): Route[] {
  const base = '/api/cairn/v1/datasets';
  return [
    {
      method: 'POST',
      path: `${base}/versions`,
      handler: async (ctx) => {
        const versions = (await ctx.message()).objects('versions').map(readVersion);
        if (versions.length > MAX_VERSIONS) throw invalidParam(`At most ${MAX_VERSIONS} versions per request, got ${versions.length}.`);
        await store.putDatasetVersions(versions);
        for (const v of versions) events.publish({ type: 'dataset.updated', name: v.name, hash: v.hash });
        return {};
      },
    },
    { method: 'GET', path: base, handler: async (): Promise<ListDatasetsResponse> => ({ datasets: await store.listDatasets() }) },
    {
      // `*`: dataset names are workspace paths and contain slashes.
      method: 'GET',
      path: `${base}/*`,
      handler: async (ctx): Promise<GetDatasetResponse> => {
        const name = ctx.params['*'] ?? '';
        if (name === '') throw invalidParam('A dataset name is required: GET /api/cairn/v1/datasets/{name}.');
        return { name, versions: await store.getDataset(name) };
      },
    },
  ];
}

function readVersion(m: Message, i: number): DatasetVersionInput {
  const field = (f: string) => `versions[${i}].${f}`;
  const name = m.nonEmpty('name');
  if (name.length > MAX_NAME || name.includes('\0')) throw invalidParam(`Invalid value for '${field('name')}': at most ${MAX_NAME} characters, no NUL.`);
  const hash = m.string('hash');
  if (!HASH.test(hash)) throw invalidParam(`Invalid value '${hash}' for '${field('hash')}': 64 lowercase hex digits (sha256).`);
  const kind = m.string('kind');
  if (kind !== 'file' && kind !== 'dir') throw invalidParam(`Invalid value '${kind}' for '${field('kind')}': 'file' or 'dir'.`);
  const v: DatasetVersionInput = { name, hash, kind, size: m.int('size', { min: 0 }), files: m.int('files', { min: 0 }) };
  const commit = m.optString('git_commit');
  if (commit !== undefined && commit !== '') {
    if (!COMMIT.test(commit)) throw invalidParam(`Invalid value '${commit}' for '${field('git_commit')}': a hex commit id.`);
    v.git_commit = commit;
  }
  const tabular = m.object('tabular');
  if (tabular) {
    const raw = tabular.raw;
    if (JSON.stringify(raw).length > MAX_TABULAR_JSON) throw invalidParam(`'${field('tabular')}' is larger than ${MAX_TABULAR_JSON} bytes.`);
    if (typeof raw['format'] !== 'string' || typeof raw['rows'] !== 'number' || !Array.isArray(raw['columns'])) {
      throw invalidParam(`'${field('tabular')}' needs a format, a row count and a list of columns.`);
    }
    v.tabular = raw as unknown as TabularSummary;
  }
  return v;
}
