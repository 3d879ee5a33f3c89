import type { ModelVersion, RegisteredModel, Run } from '../api/mlflow';
import { BackendError } from '../client/cairn-client';
import { fingerprint } from './sync-state';
import type { SyncContext, SyncItem, SyncKind } from './sync-kind';

/** Tag on each target version naming the local version it came from: `<source id>/<name>/<version>`. */
export const ORIGIN_TAG = 'cairn.sync.origin';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Registered models with their versions, stages, tags, descriptions and aliases. A version keeps
 * its run id and its source moves with the run's artifacts; version numbers are the target's (the
 * target numbers versions itself), matched through the origin tag, and aliases follow that mapping.
 * Runs and logged models sync first, so the runs and logged models versions link to exist on the target.
 */
export const modelsKind: SyncKind = {
  name: 'model',

  async *items(ctx: SyncContext): AsyncIterable<SyncItem> {
    let token: string | undefined;
    do {
      const page = await ctx.source.mlflow<{ registered_models?: RegisteredModel[]; next_page_token?: string }>('GET', 'registered-models/search', {
        max_results: 1000,
        page_token: token,
      });
      for (const m of page.registered_models ?? []) yield { id: m.name, fingerprint: fingerprint(m, await versionsOf(ctx.source, m.name)) };
      token = page.next_page_token || undefined;
    } while (token);
  },

  async push(ctx: SyncContext, name: string): Promise<number> {
    const local = (await ctx.source.mlflow<{ registered_model: RegisteredModel }>('GET', 'registered-models/get', { name })).registered_model;
    let changes = 0;
    let remote = await getModel(ctx, name);
    if (!remote) {
      try {
        await ctx.target.mlflow('POST', 'registered-models/create', { name, description: local.description, tags: local.tags });
        changes++;
      } catch (err) {
        if (!BackendError.is(err, 'RESOURCE_ALREADY_EXISTS')) throw err;
      }
      remote = (await getModel(ctx, name))!;
    }
    if ((remote.description ?? '') !== (local.description ?? '')) {
      await ctx.target.mlflow('PATCH', 'registered-models/update', { name, description: local.description ?? '' });
      changes++;
    }
    changes += await setTags(ctx, 'registered-models/set-tag', { name }, remote.tags ?? [], local.tags ?? []);

    const byOrigin = new Map<string, ModelVersion>();
    for (const v of await versionsOf(ctx.target, name)) {
      const origin = (v.tags ?? []).find((t) => t.key === ORIGIN_TAG)?.value;
      if (origin) byOrigin.set(origin, v);
    }
    const versionMap = new Map<string, string>();
    for (const lv of (await versionsOf(ctx.source, name)).sort((a, b) => Number(a.version) - Number(b.version))) {
      const origin = `${ctx.sourceId}/${name}/${lv.version}`;
      let rv = byOrigin.get(origin);
      if (!rv) {
        rv = (
          await ctx.target.mlflow<{ model_version: ModelVersion }>('POST', 'model-versions/create', {
            name,
            source: await targetSource(ctx, lv),
            run_id: lv.run_id || undefined,
            run_link: lv.run_link || undefined,
            model_id: lv.model_id || undefined,
            description: lv.description,
            tags: [...(lv.tags ?? []), { key: ORIGIN_TAG, value: origin }],
          })
        ).model_version;
        changes++;
      }
      versionMap.set(lv.version, rv.version);
      if (rv.current_stage !== lv.current_stage) {
        await ctx.target.mlflow('POST', 'model-versions/transition-stage', { name, version: rv.version, stage: lv.current_stage, archive_existing_versions: false });
        changes++;
      }
      if ((rv.description ?? '') !== (lv.description ?? '')) {
        await ctx.target.mlflow('PATCH', 'model-versions/update', { name, version: rv.version, description: lv.description ?? '' });
        changes++;
      }
      changes += await setTags(ctx, 'model-versions/set-tag', { name, version: rv.version }, rv.tags ?? [], lv.tags ?? []);
    }
    const remoteAliases = new Map((remote.aliases ?? []).map((a) => [a.alias, a.version]));
    for (const a of local.aliases ?? []) {
      const version = versionMap.get(a.version);
      if (!version || remoteAliases.get(a.alias) === version) continue;
      await ctx.target.mlflow('POST', 'registered-models/alias', { name, alias: a.alias, version });
      changes++;
    }
    return changes;
  },
};

async function getModel(ctx: SyncContext, name: string): Promise<RegisteredModel | undefined> {
  try {
    return (await ctx.target.mlflow<{ registered_model: RegisteredModel }>('GET', 'registered-models/get', { name })).registered_model;
  } catch (err) {
    if (BackendError.is(err, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
    throw err;
  }
}

async function versionsOf(client: SyncContext['source'], name: string): Promise<ModelVersion[]> {
  const out: ModelVersion[] = [];
  let token: string | undefined;
  do {
    const page = await client.mlflow<{ model_versions?: ModelVersion[]; next_page_token?: string }>('GET', 'model-versions/search', {
      filter: `name = ${quote(name)}`,
      max_results: 10_000,
      page_token: token,
    });
    out.push(...(page.model_versions ?? []));
    token = page.next_page_token || undefined;
  } while (token);
  return out;
}

async function setTags(ctx: SyncContext, rpc: string, ids: Record<string, string>, have: { key: string; value: string }[], want: { key: string; value: string }[]): Promise<number> {
  const current = new Map(have.map((t) => [t.key, t.value]));
  let changes = 0;
  for (const t of want) {
    if (current.get(t.key) === t.value) continue;
    await ctx.target.mlflow('POST', rpc, { ...ids, key: t.key, value: t.value });
    changes++;
  }
  return changes;
}

/** A version's source under its run's artifact root moves to that run's root on the target. */
async function targetSource(ctx: SyncContext, v: ModelVersion): Promise<string> {
  if (!v.run_id) return v.source;
  try {
    const [local, remote] = await Promise.all([
      ctx.source.mlflow<{ run: Run }>('GET', 'runs/get', { run_id: v.run_id }),
      ctx.target.mlflow<{ run: Run }>('GET', 'runs/get', { run_id: v.run_id }),
    ]);
    const from = local.run.info.artifact_uri.replace(/\/+$/, '');
    const to = remote.run.info.artifact_uri.replace(/\/+$/, '');
    return v.source === from || v.source.startsWith(`${from}/`) ? to + v.source.slice(from.length) : v.source;
  } catch (err) {
    if (BackendError.is(err, 'RESOURCE_DOES_NOT_EXIST')) return v.source;
    throw err;
  }
}
