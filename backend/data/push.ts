import * as fs from 'node:fs';
import { Transform } from 'node:stream';
import type { DatasetVersionInput } from '../api/data';
import type { ObjectClient } from '../client/object-client';
import { CairnError } from '../core/errors';
import { git } from './git';
import { encodePack, PACK_OBJECT_MAX, PACK_TARGET_BYTES, PACK_TARGET_ENTRIES } from './pack';
import { dataPathOf } from './pointer';
import { throttled, type ProgressFn } from './progress';
import { neededObjects, type NeededObject } from './referenced';
import { runPool } from './task-pool';
import { trackedVersions, type TrackedVersion } from './versions';
import { relPath, type DataWorkspace } from './workspace';

export interface TransferOptions {
  /** Workspace paths to transfer (default: everything tracked). */
  paths?: string[];
  /** The versions at this git revision instead of the working tree's. */
  rev?: string;
  cwd?: string;
  /** Requests in flight at once (default 8). */
  jobs?: number;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

export interface PushReport {
  /** Objects the selected data needs. */
  objects: number;
  /** Of those, already on the backend (sent before, or by someone else). */
  alreadyThere: number;
  uploaded: number;
  bytes: number;
  seconds: number;
  /** Dataset versions registered on the backend. */
  datasets: number;
}

interface Task {
  kind: 'pack' | 'single';
  objects: NeededObject[];
  bytes: number;
}

/**
 * `cairn data push`: uploads the objects tracked data needs that the backend lacks — small ones in
 * packs, large ones streamed, several requests at once — and registers the dataset versions. The
 * backend verifies every object against its hash. Interrupted, it resumes: the next push asks the
 * backend again which objects are missing and sends only those.
 */
export async function pushData(ws: DataWorkspace, remote: ObjectClient, opts: TransferOptions = {}): Promise<PushReport> {
  const started = Date.now();
  const versions = await trackedVersions(ws, (opts.paths ?? []).map((p) => relPath(ws, p, opts.cwd)), opts.rev);
  const { objects, unexpanded } = neededObjects(ws, versions.map((v) => ({ path: dataPathOf(v.pointer), ref: v.data, size: v.data.kind === 'file' ? v.data.size : undefined })));
  const absent = [...objects.values()].filter((o) => !fs.existsSync(ws.objects.pathOf(o.hash)));
  if (absent.length || unexpanded.length) {
    const what = [...unexpanded.map((p) => `the manifest of ${p}`), ...absent.slice(0, 5).map((o) => `${o.paths[0]} (${o.hash.slice(0, 12)}…)`)];
    throw new CairnError('RESOURCE_DOES_NOT_EXIST', `Cannot push: ${absent.length + unexpanded.length} object(s) are not in the local store: ${what.join(', ')}${absent.length > 5 ? ', …' : ''}. Pull them from where they were added first.`);
  }
  const missing = new Set(await remote.client.missingObjects([...objects.keys()]));
  const toSend = [...objects.values()].filter((o) => missing.has(o.hash));
  for (const o of toSend) o.size ??= fs.statSync(ws.objects.pathOf(o.hash)).size;
  const tasks = planTasks(toSend);
  const totalBytes = tasks.reduce((a, t) => a + t.bytes, 0);
  const progress = throttled(opts.onProgress);
  let done = 0;
  let bytes = 0;
  const report = () => progress({ phase: 'pushing', done, total: toSend.length, bytes, totalBytes });
  report();
  await runPool(
    tasks,
    opts.jobs ?? 8,
    async (t) => {
      if (t.kind === 'pack') {
        const entries = t.objects.map((o) => ({ hash: o.hash, data: fs.readFileSync(ws.objects.pathOf(o.hash)) }));
        await remote.putPack(encodePack(entries), opts.signal);
        bytes += t.bytes;
      } else {
        const o = t.objects[0]!;
        const counter = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            bytes += chunk.length;
            report();
            cb(null, chunk);
          },
        });
        const stream = fs.createReadStream(ws.objects.pathOf(o.hash), { highWaterMark: 1 << 20 }).pipe(counter);
        await remote.putObject(o.hash, stream, { size: o.size, signal: opts.signal });
      }
      done += t.objects.length;
      report();
    },
    opts.signal,
  );
  const datasets = await datasetVersionsOf(ws, versions);
  await remote.client.registerDatasetVersions(datasets);
  return { objects: objects.size, alreadyThere: objects.size - toSend.length, uploaded: toSend.length, bytes, seconds: (Date.now() - started) / 1000, datasets: datasets.length };
}

/** Small objects grouped into packs, large ones alone; the largest go first so they overlap with the rest. */
function planTasks(objects: NeededObject[]): Task[] {
  const tasks: Task[] = [];
  let pack: Task = { kind: 'pack', objects: [], bytes: 0 };
  for (const o of [...objects].sort((a, b) => b.size! - a.size!)) {
    if (o.size! > PACK_OBJECT_MAX) {
      tasks.push({ kind: 'single', objects: [o], bytes: o.size! });
      continue;
    }
    pack.objects.push(o);
    pack.bytes += o.size!;
    if (pack.bytes >= PACK_TARGET_BYTES || pack.objects.length >= PACK_TARGET_ENTRIES) {
      tasks.push(pack);
      pack = { kind: 'pack', objects: [], bytes: 0 };
    }
  }
  if (pack.objects.length) tasks.push(pack);
  return tasks;
}

/**
 * What to register for each version: the commit that holds it is the revision pushed, or HEAD when
 * the working tree's pointer is committed unchanged there.
 */
export async function datasetVersionsOf(ws: DataWorkspace, versions: TrackedVersion[]): Promise<DatasetVersionInput[]> {
  let head: string | undefined;
  let dirty = new Set<string>();
  if (ws.git && versions.some((v) => !v.commit)) {
    const h = await git(ws.root, ['rev-parse', '--verify', '--quiet', 'HEAD'], { allowFail: true });
    head = h.code === 0 ? h.stdout.toString('utf8').trim() : undefined;
    if (head) {
      const st = await git(ws.root, ['status', '--porcelain', '-z', '--untracked-files=all', '--', ...versions.map((v) => `:(literal)${v.pointer}`)]);
      dirty = new Set(st.stdout.toString('utf8').split('\0').filter(Boolean).map((l) => l.slice(3)));
    }
  }
  return versions.map((v) => {
    const d: DatasetVersionInput = { name: dataPathOf(v.pointer), hash: v.data.hash, kind: v.data.kind, size: v.data.size, files: v.data.files };
    if (v.data.tabular) d.tabular = v.data.tabular;
    const commit = v.commit ?? (head && !dirty.has(v.pointer) ? head : undefined);
    if (commit) d.git_commit = commit;
    return d;
  });
}
