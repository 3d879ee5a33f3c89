import { pipeline } from 'node:stream/promises';
import { CairnError, notFound } from '../core/errors';
import type { EventBus } from '../events/event-bus';
import { securityHeaders } from '../server/respond';
import { HANDLED, type Route } from '../server/router';
import type { ArtifactIndex } from '../store/metadata-store';
import type { ObjectStore } from '../store/object-store';
import { contentTypeOf, runIdOfArtifactPath, safeArtifactPath } from './artifact-paths';

export interface ArtifactDeps {
  index: ArtifactIndex;
  objects: ObjectStore;
  events: EventBus;
}

/**
 * MLflow's artifact proxy (`/api/2.0/mlflow-artifacts/artifacts/…`): uploads stream into the
 * content-addressed object store, and the index maps each path to its object.
 */
export function artifactRoutes(deps: ArtifactDeps): Route[] {
  const base = '/api/2.0/mlflow-artifacts/artifacts';
  return [
    {
      method: 'PUT',
      path: `${base}/*`,
      handler: async (ctx) => {
        const path = safeArtifactPath(ctx.params['*'] ?? '');
        if (path === '') throw new CairnError('INVALID_PARAMETER_VALUE', 'An artifact path is required: PUT /api/2.0/mlflow-artifacts/artifacts/<path>.');
        const stored = await deps.objects.put(ctx.req);
        await deps.index.putArtifact(path, stored.hash, stored.size);
        deps.events.publish({ type: 'artifact.written', path, runId: runIdOfArtifactPath(path) });
        return {};
      },
    },
    {
      method: 'GET',
      path: `${base}/*`,
      handler: async (ctx) => {
        const rest = ctx.params['*'] ?? '';
        if (rest === '') {
          const dir = safeArtifactPath(ctx.query.get('path') ?? '');
          return { files: await deps.index.listArtifacts(dir) };
        }
        const path = safeArtifactPath(rest);
        const entry = await deps.index.getArtifact(path);
        if (!entry) {
          const children = await deps.index.listArtifacts(path);
          throw notFound(children.length ? `'${path}' is a directory; list it with ?path=${path}.` : `Artifact '${path}' does not exist.`);
        }
        const stream = await deps.objects.get(entry.hash);
        ctx.res.writeHead(200, {
          ...securityHeaders,
          'Content-Type': contentTypeOf(path),
          'Content-Length': entry.size,
          'Content-Disposition': `attachment; filename="${encodeURIComponent(path.split('/').pop() ?? 'artifact')}"`,
          ETag: `"${entry.hash}"`,
        });
        if (ctx.method === 'HEAD') {
          stream.destroy();
          ctx.res.end();
          return HANDLED;
        }
        await pipeline(stream, ctx.res);
        return HANDLED;
      },
    },
    {
      method: 'DELETE',
      path: `${base}/*`,
      handler: async (ctx) => {
        const path = safeArtifactPath(ctx.params['*'] ?? '');
        if (path === '') throw new CairnError('INVALID_PARAMETER_VALUE', 'An artifact path is required.');
        const n = await deps.index.deleteArtifacts(path);
        if (n === 0) throw notFound(`Artifact '${path}' does not exist.`);
        return {};
      },
    },
  ];
}
