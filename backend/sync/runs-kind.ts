import type { Run, SearchRunsResponse } from '../api/mlflow';
import type { AppendHistoryResponse, MetricCountsResponse } from '../api/team';
import { artifactPathOf } from '../artifacts/artifact-paths';
import { listArtifactTree, pushArtifacts } from './artifact-transfer';
import { allExperiments, targetArtifactUri, targetExperiment } from './experiments-map';
import { fingerprint } from './sync-state';
import type { SyncContext, SyncItem, SyncKind } from './sync-kind';

const SYNC_API = '/api/cairn/v1/sync/runs';
const POINTS_PER_REQUEST = 10_000;

/**
 * Runs with everything they hold: info (status, times, lifecycle), params, tags, latest metrics,
 * dataset inputs, full metric histories and artifacts. Run ids are kept; the experiment is the
 * target's experiment of the same name; artifact URIs move to that experiment's location.
 */
export const runsKind: SyncKind = {
  name: 'run',

  async *items(ctx: SyncContext): AsyncIterable<SyncItem> {
    for await (const exp of allExperiments(ctx)) {
      let token: string | undefined;
      do {
        const page = await ctx.source.mlflow<SearchRunsResponse>('POST', 'runs/search', {
          experiment_ids: [exp.experiment_id],
          run_view_type: 'ALL',
          max_results: 1000,
          order_by: ['attributes.start_time ASC'],
          page_token: token,
        });
        for (const run of page.runs ?? []) {
          const counts = await ctx.source.call<MetricCountsResponse>('GET', `${SYNC_API}/${run.info.run_id}/metric-counts`);
          const files = await listArtifactTree(ctx.source, artifactPathOf(run.info.artifact_uri));
          yield { id: run.info.run_id, fingerprint: fingerprint(run, counts.counts, files) };
        }
        token = page.next_page_token || undefined;
      } while (token);
    }
  },

  async push(ctx: SyncContext, runId: string): Promise<number> {
    const run = (await ctx.source.mlflow<{ run: Run }>('GET', 'runs/get', { run_id: runId })).run;
    const exp = await targetExperiment(ctx, run.info.experiment_id);
    let changes = exp.changes;
    const artifactUri = targetArtifactUri(run.info.artifact_uri, exp);
    const imported: Run = { ...run, info: { ...run.info, experiment_id: exp.remote.experiment_id, artifact_uri: artifactUri } };
    if ((await ctx.target.call<{ changed: boolean }>('POST', `${SYNC_API}/import`, { run: imported })).changed) changes++;
    changes += await pushHistories(ctx, runId);
    changes += await pushArtifacts(ctx, artifactPathOf(run.info.artifact_uri), artifactPathOf(artifactUri));
    return changes;
  },
};

/** Appends the points the target lacks, key by key, from the target's own count (so a resend adds nothing). */
async function pushHistories(ctx: SyncContext, runId: string): Promise<number> {
  const local = (await ctx.source.call<MetricCountsResponse>('GET', `${SYNC_API}/${runId}/metric-counts`)).counts;
  const remote = (await ctx.target.call<MetricCountsResponse>('GET', `${SYNC_API}/${runId}/metric-counts`)).counts;
  let changes = 0;
  for (const [key, n] of Object.entries(local)) {
    let have = remote[key] ?? 0;
    if (have >= n) continue;
    const history = await ctx.source.metricHistory(runId, key);
    while (have < history.length) {
      const points = history.slice(have, have + POINTS_PER_REQUEST).map((p) => ({ value: p.value, timestamp: p.timestamp, step: p.step }));
      const res = await ctx.target.call<AppendHistoryResponse>('POST', `${SYNC_API}/${runId}/metrics`, { key, offset: have, points });
      have = res.count;
      changes += res.appended > 0 ? 1 : 0;
    }
  }
  return changes;
}
