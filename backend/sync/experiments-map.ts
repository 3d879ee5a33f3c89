import type { Experiment } from '../api/mlflow';
import { BackendError } from '../client/cairn-client';
import type { SyncContext } from './sync-kind';

type Pair = { local: Experiment; remote: Experiment };
const pairs = new WeakMap<SyncContext, Map<string, Pair>>();

/**
 * The target's experiment for a local one, matched by name and created (with the local tags) if
 * missing; tags that differ are set. Runs keep their ids; experiment ids are mapped this way.
 */
export async function targetExperiment(ctx: SyncContext, localId: string): Promise<Pair & { changes: number }> {
  let cache = pairs.get(ctx);
  if (!cache) pairs.set(ctx, (cache = new Map()));
  const known = cache.get(localId);
  if (known) return { ...known, changes: 0 };
  const local = (await ctx.source.mlflow<{ experiment: Experiment }>('GET', 'experiments/get', { experiment_id: localId })).experiment;
  let changes = 0;
  let remote = await ctx.target.getExperimentByName(local.name);
  if (!remote) {
    try {
      await ctx.target.createExperiment(local.name, local.tags ?? []);
      changes++;
    } catch (err) {
      if (!BackendError.is(err, 'RESOURCE_ALREADY_EXISTS')) throw err;
    }
    remote = (await ctx.target.getExperimentByName(local.name))!;
  }
  const remoteTags = new Map((remote.tags ?? []).map((t) => [t.key, t.value]));
  for (const t of local.tags ?? []) {
    if (remoteTags.get(t.key) === t.value || remote.lifecycle_stage !== 'active') continue;
    await ctx.target.mlflow('POST', 'experiments/set-experiment-tag', { experiment_id: remote.experiment_id, key: t.key, value: t.value });
    changes++;
  }
  const pair = { local, remote };
  cache.set(localId, pair);
  ctx.experiments.set(localId, remote.experiment_id);
  return { ...pair, changes };
}

/** A local run's artifact URI as it is on the target: the local experiment's location swapped for the target's. */
export function targetArtifactUri(uri: string, pair: Pair): string {
  const from = pair.local.artifact_location.replace(/\/+$/, '');
  const to = pair.remote.artifact_location.replace(/\/+$/, '');
  return uri.startsWith(`${from}/`) ? `${to}${uri.slice(from.length)}` : uri;
}

/** Every experiment of the source, deleted ones included. */
export async function* allExperiments(ctx: SyncContext): AsyncIterable<Experiment> {
  let token: string | undefined;
  do {
    const page = await ctx.source.mlflow<{ experiments?: Experiment[]; next_page_token?: string }>('POST', 'experiments/search', {
      view_type: 'ALL',
      max_results: 1000,
      page_token: token,
    });
    yield* page.experiments ?? [];
    token = page.next_page_token || undefined;
  } while (token);
}
