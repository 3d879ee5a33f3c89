/**
 * HostRequests answered with the typed backend client. Both hosts use it: the extension (behind
 * postMessage) and the browser dashboard (directly).
 */
import type { CairnClient } from '../../backend/client/cairn-client';
import { ServingClient } from '../../backend/client/serving-client';
import type { ArtifactContent, HostRequests } from '../protocol/host';

export function requestsOverClient(client: CairnClient): HostRequests {
  const runCache = new Map<string, { artifactUri: string; info: Awaited<ReturnType<CairnClient['getRun']>>['info'] }>();
  const runInfo = async (runId: string) => {
    const hit = runCache.get(runId);
    if (hit) return hit.info;
    const run = await client.getRun(runId);
    runCache.set(runId, { artifactUri: run.info.artifact_uri, info: run.info });
    return run.info;
  };
  return {
    experiments: () => client.searchExperiments(),
    searchRuns: (q) => client.searchAllRuns({ experiment_ids: q.experimentIds, filter: q.filter || undefined, run_view_type: q.viewType ?? 'ACTIVE_ONLY', order_by: ['attributes.start_time DESC'] }),
    getRun: (runId) => client.getRun(runId),
    metricSeries: (runId, key, maxPoints, range) => client.metricSeries(runId, key, maxPoints, range),
    listArtifacts: (runId, path) => client.listArtifacts(runId, path),
    async readArtifact(runId, path, maxBytes): Promise<ArtifactContent | null> {
      const bytes = await client.downloadArtifact(await runInfo(runId), path);
      if (!bytes) return null;
      const slice = bytes.subarray(0, maxBytes);
      return { path, size: slice.length, truncated: bytes.length > slice.length, base64: toBase64(slice) };
    },
    setTag: (runId, key, value) => client.setTag(runId, key, value),
    driftReport: (id) => client.getDriftReport(id),
    modelCard: (name, version) => new ServingClient(client).modelCard(name, version),
  };
}

function toBase64(bytes: Uint8Array): string {
  if (typeof Buffer !== 'undefined') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
