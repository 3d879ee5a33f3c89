import type { InferSignatureRequest, PromoteRequest } from '../api/registry';
import { invalidParam } from '../core/errors';
import type { EventBus } from '../events/event-bus';
import type { Route } from '../server/router';
import { loadIsolatedRuntime } from '../serving/runtimes/load-runtime';
import type { MetadataStore } from '../store/metadata-store';
import { inferSignatureFromSample } from './infer-signature';
import { buildModelCard } from './model-card';
import type { ModelFile } from './model-files';
import { promote } from './promotion';
import { SIGNATURE_TAG } from './signature';

export interface ModelRouteDeps {
  meta: MetadataStore;
  events: EventBus;
  /** A version's model folder (materialized) and its files. */
  folder(name: string, version: string): Promise<{ dir: string; files: ModelFile[]; root: string }>;
}

const BASE = '/api/cairn/v1/models/:name/versions/:version';

/** The native registry API: model card (lineage), signature inference, gated promotion, file list. */
export function modelRoutes(deps: ModelRouteDeps): Route[] {
  const p = (ctx: { params: Record<string, string> }) => ({ name: ctx.params['name']!, version: ctx.params['version']! });
  return [
    {
      method: 'GET',
      path: `${BASE}/card`,
      handler: async (ctx) => ({ card: await buildModelCard({ meta: deps.meta, folder: deps.folder }, p(ctx).name, p(ctx).version) }),
    },
    {
      method: 'GET',
      path: `${BASE}/files`,
      handler: async (ctx) => {
        const { files, root } = await deps.folder(p(ctx).name, p(ctx).version);
        return { artifact_path: root, files };
      },
    },
    {
      method: 'POST',
      path: `${BASE}/signature`,
      handler: async (ctx) => {
        const { name, version } = p(ctx);
        const m = await ctx.message();
        if (m.raw['sample'] === undefined) throw invalidParam("'sample' is required: rows as [{column: value}] or {columns, data}.");
        const labels = m.raw['labels'];
        if (labels !== undefined && (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string'))) throw invalidParam("'labels' must be a list of strings.");
        const { dir } = await deps.folder(name, version);
        const rt = await loadIsolatedRuntime(dir);
        try {
          const signature = await inferSignatureFromSample(rt, { sample: m.raw['sample'] as InferSignatureRequest['sample'], labels: labels as string[] | undefined });
          await deps.meta.setModelVersionTag(name, version, SIGNATURE_TAG, JSON.stringify(signature));
          deps.events.publish({ type: 'model.updated', name, version });
          return { signature };
        } finally {
          await rt.close();
        }
      },
    },
    {
      method: 'POST',
      path: `${BASE}/promote`,
      handler: async (ctx) => {
        const { name, version } = p(ctx);
        const m = await ctx.message();
        const req: PromoteRequest = { alias: m.nonEmpty('alias'), require: m.stringArray('require'), against: m.optString('against') || undefined };
        const result = await promote(deps.meta, name, version, req);
        if (result.promoted) deps.events.publish({ type: 'model.updated', name, version });
        return result;
      },
    },
  ];
}
