import { LOGGED_MODEL_STATUSES, type LoggedModelStatus } from '../api/registry';
import { artifactPathOf, safeArtifactPath } from '../artifacts/artifact-paths';
import { invalidParam } from '../core/errors';
import type { EventBus } from '../events/event-bus';
import type { Message } from '../server/message';
import type { Route } from '../server/router';
import { parseLoggedModelFilter, parseLoggedModelOrderBy } from '../search/logged-models';
import type { MetadataStore } from '../store/metadata-store';
import { decodePageToken, encodePageToken, validateMaxResults } from '../tracking/validate';
import { readKeyValues } from '../tracking/wire-readers';
import { registryTags } from './registry-routes';

/**
 * MLflow 3 logged models and `runs/outputs`, relative to `/api/2.0/mlflow`: what `log_model` and
 * `register_model("runs:/…")` of MLflow 3 clients call.
 */
export function loggedModelRoutes(meta: MetadataStore, events: EventBus): Route[] {
  const idOf = (ctx: { params: Record<string, string> }) => ctx.params['modelId']!;
  const changed = (modelId: string) => events.publish({ type: 'model.updated', name: modelId });

  return [
    {
      method: 'POST',
      path: '/logged-models',
      handler: async (ctx) => {
        const m = await ctx.message();
        const model = await meta.createLoggedModel({
          experimentId: m.nonEmpty('experiment_id'),
          name: m.optString('name') || 'model',
          modelType: m.optString('model_type'),
          sourceRunId: m.optString('source_run_id'),
          params: readKeyValues(m, 'params'),
          tags: registryTags(m),
        });
        changed(model.info.model_id);
        return { model };
      },
    },
    {
      method: ['GET', 'POST'],
      path: '/logged-models/search',
      handler: async (ctx) => {
        const m = await ctx.message();
        const orderBy = m.objects('order_by').map((o) => `${o.string('field_name')} ${o.optBool('ascending') === false ? 'DESC' : 'ASC'}`);
        const page = await meta.searchLoggedModels({
          experimentIds: m.stringArray('experiment_ids'),
          maxResults: validateMaxResults(m.optInt('max_results'), 100, 1000),
          offset: decodePageToken(m.optString('page_token')),
          filter: parseLoggedModelFilter(m.optString('filter')),
          orderBy: parseLoggedModelOrderBy(orderBy.map((o) => o.replace(/_ms\b/, ''))),
        });
        return { models: page.items, next_page_token: encodePageToken(page.nextOffset) };
      },
    },
    { method: 'GET', path: '/logged-models/:modelId', handler: async (ctx) => ({ model: await meta.getLoggedModel(idOf(ctx)) }) },
    {
      method: 'PATCH',
      path: '/logged-models/:modelId',
      handler: async (ctx) => {
        const m = await ctx.message();
        const model = await meta.finalizeLoggedModel(idOf(ctx), readStatus(m));
        changed(model.info.model_id);
        return { model };
      },
    },
    {
      method: 'DELETE',
      path: '/logged-models/:modelId',
      handler: async (ctx) => {
        await meta.deleteLoggedModel(idOf(ctx));
        changed(idOf(ctx));
        return {};
      },
    },
    {
      method: 'PATCH',
      path: '/logged-models/:modelId/tags',
      handler: async (ctx) => {
        await meta.setLoggedModelTags(idOf(ctx), registryTags(await ctx.message()));
        changed(idOf(ctx));
        return {};
      },
    },
    {
      method: 'DELETE',
      path: '/logged-models/:modelId/tags/:key',
      handler: async (ctx) => {
        await meta.deleteLoggedModelTag(idOf(ctx), ctx.params['key']!);
        return {};
      },
    },
    {
      method: 'GET',
      path: '/logged-models/:modelId/artifacts/directories',
      handler: async (ctx) => {
        const m = await ctx.message();
        const model = await meta.getLoggedModel(idOf(ctx));
        const root = artifactPathOf(model.info.artifact_uri);
        const sub = safeArtifactPath(m.optString('artifact_directory_path') ?? m.optString('path') ?? '', 'artifact_directory_path');
        const files = await meta.listArtifacts(sub ? `${root}/${sub}` : root);
        return { root_uri: model.info.artifact_uri, files: files.map((f) => ({ ...f, path: sub ? `${sub}/${f.path}` : f.path })) };
      },
    },
    {
      method: 'POST',
      path: '/logged-models/:modelId/params',
      handler: async (ctx) => {
        await meta.logLoggedModelParams(idOf(ctx), readKeyValues(await ctx.message(), 'params'));
        return {};
      },
    },
    {
      method: 'POST',
      path: '/runs/outputs',
      handler: async (ctx) => {
        const m = await ctx.message();
        const runId = m.oneOf('run_id', 'run_uuid');
        const models = m.objects('models').map((o, i) => {
          const modelId = o.optString('model_id');
          if (!modelId) throw invalidParam(`Missing value for required parameter 'models[${i}].model_id'.`);
          return { modelId, step: o.optInt('step') ?? 0 };
        });
        await meta.logOutputs(runId, models);
        return {};
      },
    },
  ];
}

function readStatus(m: Message): LoggedModelStatus {
  const raw = m.raw['status'];
  const status = typeof raw === 'number' ? LOGGED_MODEL_STATUSES[raw] : m.string('status');
  if (!status || !LOGGED_MODEL_STATUSES.includes(status as LoggedModelStatus)) {
    throw invalidParam(`Invalid value ${JSON.stringify(raw)} for parameter 'status': expected one of ${LOGGED_MODEL_STATUSES.join(', ')}.`);
  }
  return status as LoggedModelStatus;
}
