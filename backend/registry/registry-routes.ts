import type { ModelStage } from '../api/mlflow';
import type { EventBus } from '../events/event-bus';
import type { Message } from '../server/message';
import type { Route } from '../server/router';
import { parseModelFilter, parseModelOrderBy, parseVersionFilter, parseVersionOrderBy } from '../search/models';
import type { MetadataStore } from '../store/metadata-store';
import { LIMITS, decodePageToken, encodePageToken, validateAlias, validateKey, validateMaxResults, validateValueLength } from '../tracking/validate';
import { readKeyValues } from '../tracking/wire-readers';
import { invalidParam } from '../core/errors';
import { modelIdOfSource } from './model-ref';

/** The `tags` of a registry request, each key and value checked against MLflow's limits. */
export function registryTags(m: Message): ReturnType<typeof readKeyValues> {
  const tags = readKeyValues(m, 'tags');
  tags.forEach((t, i) => {
    validateKey(t.key, `tags[${i}].key`);
    validateValueLength(t.value, LIMITS.registryTagValue, `tags[${i}].value`);
  });
  return tags;
}

/** The MLflow model-registry API, relative to `/api/2.0/mlflow`. */
export function registryRoutes(meta: MetadataStore, events: EventBus): Route[] {
  const changed = (name: string, version?: string) => events.publish({ type: 'model.updated', name, ...(version ? { version } : {}) });
  const modelName = (m: Message) => {
    const name = m.string('name');
    if (name.trim() === '') throw invalidParam("Missing value for required parameter 'name'.");
    return name;
  };
  const version = (m: Message) => {
    const v = m.raw['version'];
    if (typeof v === 'number') return String(v);
    return m.string('version');
  };

  return [
    {
      method: 'POST',
      path: '/registered-models/create',
      handler: async (ctx) => {
        const m = await ctx.message();
        const registered_model = await meta.createRegisteredModel({ name: modelName(m), description: m.optString('description'), tags: registryTags(m) });
        changed(registered_model.name);
        return { registered_model };
      },
    },
    {
      method: 'GET',
      path: '/registered-models/get',
      handler: async (ctx) => ({ registered_model: await meta.getRegisteredModel(modelName(await ctx.message())) }),
    },
    {
      method: 'POST',
      path: '/registered-models/rename',
      handler: async (ctx) => {
        const m = await ctx.message();
        const registered_model = await meta.renameRegisteredModel(modelName(m), m.nonEmpty('new_name'));
        changed(registered_model.name);
        return { registered_model };
      },
    },
    {
      method: 'PATCH',
      path: '/registered-models/update',
      handler: async (ctx) => {
        const m = await ctx.message();
        const registered_model = await meta.updateRegisteredModel(modelName(m), m.optString('description') ?? '');
        changed(registered_model.name);
        return { registered_model };
      },
    },
    {
      method: 'DELETE',
      path: '/registered-models/delete',
      handler: async (ctx) => {
        const name = modelName(await ctx.message());
        await meta.deleteRegisteredModel(name);
        changed(name);
        return {};
      },
    },
    {
      method: ['GET', 'POST'],
      path: '/registered-models/search',
      handler: async (ctx) => {
        const m = await ctx.message();
        const page = await meta.searchRegisteredModels({
          maxResults: validateMaxResults(m.optInt('max_results'), 100, 1000),
          offset: decodePageToken(m.optString('page_token')),
          filter: parseModelFilter(m.optString('filter')),
          orderBy: parseModelOrderBy(m.stringArray('order_by')),
        });
        return { registered_models: page.items, next_page_token: encodePageToken(page.nextOffset) };
      },
    },
    {
      method: ['GET', 'POST'],
      path: '/registered-models/get-latest-versions',
      handler: async (ctx) => {
        const m = await ctx.message();
        return { model_versions: await meta.getLatestVersions(modelName(m), m.stringArray('stages') as ModelStage[]) };
      },
    },
    {
      method: 'POST',
      path: '/registered-models/set-tag',
      handler: async (ctx) => {
        const m = await ctx.message();
        const key = m.string('key');
        validateKey(key, 'key');
        await meta.setRegisteredModelTag(modelName(m), key, validateValueLength(m.optString('value') ?? '', LIMITS.registryTagValue, 'value'));
        changed(modelName(m));
        return {};
      },
    },
    {
      method: 'DELETE',
      path: '/registered-models/delete-tag',
      handler: async (ctx) => {
        const m = await ctx.message();
        await meta.deleteRegisteredModelTag(modelName(m), m.string('key'));
        changed(modelName(m));
        return {};
      },
    },
    {
      method: 'POST',
      path: '/registered-models/alias',
      handler: async (ctx) => {
        const m = await ctx.message();
        await meta.setAlias(modelName(m), validateAlias(m.string('alias')), version(m));
        changed(modelName(m), version(m));
        return {};
      },
    },
    {
      method: 'DELETE',
      path: '/registered-models/alias',
      handler: async (ctx) => {
        const m = await ctx.message();
        await meta.deleteAlias(modelName(m), m.string('alias'));
        changed(modelName(m));
        return {};
      },
    },
    {
      method: 'GET',
      path: '/registered-models/alias',
      handler: async (ctx) => {
        const m = await ctx.message();
        return { model_version: await meta.getVersionByAlias(modelName(m), m.string('alias')) };
      },
    },
    {
      method: 'POST',
      path: '/model-versions/create',
      handler: async (ctx) => {
        const m = await ctx.message();
        const model_version = await meta.createModelVersion({
          name: modelName(m),
          source: m.string('source'),
          runId: m.optString('run_id'),
          runLink: m.optString('run_link'),
          description: m.optString('description'),
          tags: registryTags(m),
          modelId: m.optString('model_id') || modelIdOfSource(m.string('source')),
        });
        changed(model_version.name, model_version.version);
        return { model_version };
      },
    },
    {
      method: 'GET',
      path: '/model-versions/get',
      handler: async (ctx) => {
        const m = await ctx.message();
        return { model_version: await meta.getModelVersion(modelName(m), version(m)) };
      },
    },
    {
      method: 'PATCH',
      path: '/model-versions/update',
      handler: async (ctx) => {
        const m = await ctx.message();
        const model_version = await meta.updateModelVersion(modelName(m), version(m), m.optString('description') ?? '');
        changed(model_version.name, model_version.version);
        return { model_version };
      },
    },
    {
      method: 'POST',
      path: '/model-versions/transition-stage',
      handler: async (ctx) => {
        const m = await ctx.message();
        const model_version = await meta.transitionStage(modelName(m), version(m), m.string('stage') as ModelStage, m.optBool('archive_existing_versions') ?? false);
        changed(model_version.name, model_version.version);
        return { model_version };
      },
    },
    {
      method: 'DELETE',
      path: '/model-versions/delete',
      handler: async (ctx) => {
        const m = await ctx.message();
        await meta.deleteModelVersion(modelName(m), version(m));
        changed(modelName(m), version(m));
        return {};
      },
    },
    {
      method: ['GET', 'POST'],
      path: '/model-versions/search',
      handler: async (ctx) => {
        const m = await ctx.message();
        const page = await meta.searchModelVersions({
          maxResults: validateMaxResults(m.optInt('max_results'), 200_000, 200_000),
          offset: decodePageToken(m.optString('page_token')),
          filter: parseVersionFilter(m.optString('filter')),
          orderBy: parseVersionOrderBy(m.stringArray('order_by')),
        });
        return { model_versions: page.items, next_page_token: encodePageToken(page.nextOffset) };
      },
    },
    {
      method: 'GET',
      path: '/model-versions/get-download-uri',
      handler: async (ctx) => {
        const m = await ctx.message();
        const mv = await meta.getModelVersion(modelName(m), version(m));
        // A version registered from an MLflow 3 logged model downloads from that model's artifacts.
        const modelId = mv.model_id || modelIdOfSource(mv.source);
        if (modelId) return { artifact_uri: (await meta.getLoggedModel(modelId)).info.artifact_uri };
        return { artifact_uri: mv.source };
      },
    },
    {
      method: 'POST',
      path: '/model-versions/set-tag',
      handler: async (ctx) => {
        const m = await ctx.message();
        const key = m.string('key');
        validateKey(key, 'key');
        await meta.setModelVersionTag(modelName(m), version(m), key, validateValueLength(m.optString('value') ?? '', LIMITS.registryTagValue, 'value'));
        changed(modelName(m), version(m));
        return {};
      },
    },
    {
      method: 'DELETE',
      path: '/model-versions/delete-tag',
      handler: async (ctx) => {
        const m = await ctx.message();
        await meta.deleteModelVersionTag(modelName(m), version(m), m.string('key'));
        changed(modelName(m), version(m));
        return {};
      },
    },
  ];
}

