import type { DatasetVersion, DatasetVersionInput } from '../api/data';
import { BackendError, type CairnClient } from '../client/cairn-client';
import { ObjectClient } from '../client/object-client';
import { decodeManifest } from '../data/manifest';
import { runPool } from '../data/task-pool';
import { fingerprint } from './sync-state';
import type { SyncContext, SyncItem, SyncKind } from './sync-kind';

/** Objects copied at once. */
const COPIES_IN_FLIGHT = 4;

/**
 * Dataset versions (`cairn data push`, `cairn run`) with their bytes: each version's object — for
 * a folder, its manifest and every file it lists — is copied to the target unless the target has
 * it, then the versions are registered there. Links to runs travel with the runs (their inputs).
 * A version whose bytes the local store lacks (added on another machine) is registered all the
 * same, with a warning: its bytes are wherever it was pushed from.
 */
export const datasetsKind: SyncKind = {
  name: 'dataset',

  async *items(ctx: SyncContext): AsyncIterable<SyncItem> {
    for (const d of await ctx.source.listDatasets()) {
      const versions = await ctx.source.getDataset(d.name);
      // Which versions' bytes are here: a version pulled later is sent by the next sync.
      const absent = await ctx.source.missingObjects(versions.map((v) => v.hash));
      yield { id: d.name, fingerprint: fingerprint(versions.map(registration), absent) };
    }
  },

  async push(ctx: SyncContext, name: string): Promise<number> {
    const versions = await ctx.source.getDataset(name);
    let changes = await copyObjects(ctx, name, await objectsOf(ctx, name, versions));
    const remote = new Map((await remoteVersions(ctx.target, name)).map((v) => [v.hash, v]));
    const register = versions.map(registration).filter((v) => adds(remote.get(v.hash), v));
    if (register.length > 0) {
      await ctx.target.registerDatasetVersions(register);
      changes += register.length;
    }
    return changes;
  },
};

/** What registering a version sends: everything but what the backend derives (time, runs). */
function registration(v: DatasetVersion): DatasetVersionInput {
  const r: DatasetVersionInput = { name: v.name, hash: v.hash, kind: v.kind, size: v.size, files: v.files };
  if (v.tabular) r.tabular = v.tabular;
  if (v.git_commit) r.git_commit = v.git_commit;
  return r;
}

/** Whether registering `local` would change the target: a new version, or a commit or table summary it lacks. */
function adds(remote: DatasetVersion | undefined, local: DatasetVersionInput): boolean {
  return !remote || (!remote.git_commit && !!local.git_commit) || (!remote.tabular && !!local.tabular);
}

async function remoteVersions(target: CairnClient, name: string): Promise<DatasetVersion[]> {
  try {
    return await target.getDataset(name);
  } catch (err) {
    if (BackendError.is(err, 'RESOURCE_DOES_NOT_EXIST')) return [];
    throw err;
  }
}

/** Every object the versions need: their own, and the files a folder's manifest lists. */
async function objectsOf(ctx: SyncContext, name: string, versions: DatasetVersion[]): Promise<string[]> {
  const source = new ObjectClient(ctx.source);
  const hashes = new Set<string>();
  for (const v of versions) {
    hashes.add(v.hash);
    if (v.kind !== 'dir') continue;
    const manifest = await readObject(source, v.hash);
    if (!manifest) {
      ctx.log(`dataset ${name}: the manifest of version ${v.hash.slice(0, 12)}… is not in the local store; its files are not sent`);
      continue;
    }
    for (const f of decodeManifest(manifest, `manifest ${v.hash.slice(0, 12)}… of ${name}`).files) hashes.add(f.hash);
  }
  return [...hashes];
}

/** Copies the objects the target lacks, streamed, a few at a time; returns how many were copied. */
async function copyObjects(ctx: SyncContext, name: string, hashes: string[]): Promise<number> {
  const source = new ObjectClient(ctx.source);
  const target = new ObjectClient(ctx.target);
  const missing = await ctx.target.missingObjects(hashes);
  let copied = 0;
  let absent = 0;
  await runPool(missing, COPIES_IN_FLIGHT, async (hash) => {
    let download: Awaited<ReturnType<ObjectClient['getObject']>>;
    try {
      download = await source.getObject(hash);
    } catch (err) {
      if (!BackendError.is(err, 'RESOURCE_DOES_NOT_EXIST')) throw err;
      absent++;
      return;
    }
    await target.putObject(hash, download.stream, Number.isFinite(download.length) ? { size: download.length } : {});
    copied++;
  });
  if (absent > 0) ctx.log(`dataset ${name}: ${absent} object(s) are not in the local store and were not sent (pull them where they were added, then sync again)`);
  return copied;
}

async function readObject(client: ObjectClient, hash: string): Promise<Buffer | undefined> {
  try {
    const { stream } = await client.getObject(hash);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  } catch (err) {
    if (BackendError.is(err, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
    throw err;
  }
}
