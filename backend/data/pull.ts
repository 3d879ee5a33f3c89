import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ObjectClient } from '../client/object-client';
import { CairnError } from '../core/errors';
import { FsObjectWriter } from '../store/fs/fs-object-writer';
import { checkoutData, type CheckoutResult } from './checkout';
import { withDataLock } from './data-lock';
import type { DataVersionRef } from './materialize';
import { recordOwned } from './owned-objects';
import { PACK_OBJECT_MAX, PACK_TARGET_BYTES, PACK_TARGET_ENTRIES } from './pack';
import { dataPathOf } from './pointer';
import { throttled, type Progress, type ProgressFn } from './progress';
import { neededObjects, type NeededObject } from './referenced';
import { runPool } from './task-pool';
import type { TransferOptions } from './push';
import { trackedVersions } from './versions';
import { relPath, type DataWorkspace } from './workspace';

export interface PullOptions extends TransferOptions {
  /** Restore the data on disk after fetching (default true). */
  checkout?: boolean;
  force?: boolean;
  link?: boolean;
}

export interface PullReport {
  objects: number;
  alreadyLocal: number;
  downloaded: number;
  bytes: number;
  seconds: number;
  checkout?: CheckoutResult[];
}

/**
 * `cairn data pull`: fetches the objects tracked data needs that the local store lacks (manifests
 * first, then the files they list; small ones in packs, large ones streamed and resumed from where
 * an interrupted pull stopped), verifies each against its hash, then checks the data out.
 */
export async function pullData(ws: DataWorkspace, remote: ObjectClient, opts: PullOptions = {}): Promise<PullReport> {
  const rels = (opts.paths ?? []).map((p) => relPath(ws, p, opts.cwd));
  return withDataLock(ws, 'pull', async () => {
    const versions = (await trackedVersions(ws, rels, opts.rev)).map((v) => ({ path: dataPathOf(v.pointer), ref: v.data as DataVersionRef, size: v.data.kind === 'file' ? v.data.size : undefined }));
    const report = await fetchObjects(ws, remote, versions, opts);
    if (opts.checkout !== false) report.checkout = await checkoutData(ws, rels, { cwd: ws.root, rev: opts.rev, force: opts.force, link: opts.link, onProgress: opts.onProgress });
    return report;
  });
}

/** Fetches what these versions need into the local store (no checkout). Used by pull and `cairn reproduce`. */
export async function fetchObjects(ws: DataWorkspace, remote: ObjectClient, versions: { path: string; ref: DataVersionRef; size?: number }[], opts: TransferOptions = {}): Promise<PullReport> {
  const started = Date.now();
  const fetcher = new Fetcher(ws, remote, opts);
  // Folder manifests first: only they tell which files a folder needs.
  const first = neededObjects(ws, versions);
  const manifests = [...first.objects.values()].filter((o) => o.kind === 'manifest' && !fs.existsSync(ws.objects.pathOf(o.hash)));
  await fetcher.fetch(manifests, 'manifest');
  const { objects } = neededObjects(ws, versions);
  const wanted = [...objects.values()].filter((o) => !fs.existsSync(ws.objects.pathOf(o.hash)));
  await fetcher.fetch(wanted, 'file');
  return {
    objects: objects.size,
    alreadyLocal: objects.size - wanted.length - manifests.length,
    downloaded: fetcher.downloaded,
    bytes: fetcher.bytes,
    seconds: (Date.now() - started) / 1000,
  };
}

class Fetcher {
  downloaded = 0;
  bytes = 0;
  private readonly progress: ProgressFn;

  constructor(
    private readonly ws: DataWorkspace,
    private readonly remote: ObjectClient,
    private readonly opts: TransferOptions,
  ) {
    this.progress = throttled(opts.onProgress);
  }

  async fetch(objects: NeededObject[], kind: 'file' | 'manifest'): Promise<void> {
    if (objects.length === 0) return;
    const unavailable = new Set(await this.remote.client.missingObjects(objects.map((o) => o.hash)));
    if (unavailable.size) {
      const list = objects.filter((o) => unavailable.has(o.hash));
      const names = list.slice(0, 5).map((o) => `${o.paths[0]} (${o.hash.slice(0, 12)}…)`);
      throw new CairnError('RESOURCE_DOES_NOT_EXIST', `${list.length} object(s) are neither in the local store nor on ${this.remote.client.url}: ${names.join(', ')}${list.length > 5 ? ', …' : ''}. Push them from the machine that added them.`);
    }
    const small = objects.filter((o) => o.size !== undefined && o.size <= PACK_OBJECT_MAX);
    const large = objects.filter((o) => o.size === undefined || o.size > PACK_OBJECT_MAX);
    const packs: NeededObject[][] = [];
    let pack: NeededObject[] = [];
    let packBytes = 0;
    for (const o of small) {
      pack.push(o);
      packBytes += o.size!;
      if (packBytes >= PACK_TARGET_BYTES || pack.length >= PACK_TARGET_ENTRIES) {
        packs.push(pack);
        pack = [];
        packBytes = 0;
      }
    }
    if (pack.length) packs.push(pack);
    const total = objects.length;
    const totalBytes = objects.reduce((a, o) => a + (o.size ?? 0), 0);
    let done = 0;
    const report = () => this.progress({ phase: kind === 'manifest' ? 'fetching manifests' : 'pulling', done, total, bytes: this.bytes, totalBytes } satisfies Progress);
    const tasks: (() => Promise<void>)[] = [
      ...large.map((o) => async () => {
        await this.fetchLarge(o, report);
        done++;
        report();
      }),
      ...packs.map((p) => async () => {
        await this.fetchPack(p);
        done += p.length;
        report();
      }),
    ];
    await runPool(tasks, this.opts.jobs ?? 8, (t) => t(), this.opts.signal);
  }

  private async fetchPack(objects: NeededObject[]): Promise<void> {
    const writer = new FsObjectWriter(this.ws.objects, this.ws.durable);
    const expected = new Set(objects.map((o) => o.hash));
    try {
      for await (const { hash, data } of this.remote.getPack(objects.map((o) => o.hash), this.opts.signal)) {
        if (!expected.delete(hash)) throw new CairnError('INVALID_STATE', `${this.remote.client.url} sent object ${hash}, which was not asked for.`);
        writer.putBuffer(data, hash);
        this.bytes += data.length;
      }
      if (expected.size) throw new CairnError('INVALID_STATE', `${this.remote.client.url} left out ${expected.size} object(s) of a pack.`);
      await writer.commit();
    } catch (err) {
      // Verified objects of a cut-short pack are kept: the next pull does not fetch them again.
      await writer.commit();
      throw err;
    }
    recordOwned(this.ws, objects.map((o) => ({ hash: o.hash, kind: o.kind })));
    this.downloaded += objects.length;
  }

  /** Streams a large object into `objects/partial/<hash>`, resuming a previous partial download, and verifies it. */
  private async fetchLarge(o: NeededObject, report: () => void): Promise<void> {
    const dir = path.join(this.ws.objects.root, 'partial');
    fs.mkdirSync(dir, { recursive: true });
    const partial = path.join(dir, o.hash);
    const hasher = createHash('sha256');
    let have = 0;
    if (fs.existsSync(partial)) {
      for await (const chunk of fs.createReadStream(partial, { highWaterMark: 8 << 20 }) as AsyncIterable<Buffer>) {
        hasher.update(chunk);
        have += chunk.length;
      }
      if (o.size !== undefined && have >= o.size) {
        fs.rmSync(partial, { force: true });
        return this.fetchLarge(o, report);
      }
    }
    const { stream, partial: resumed } = await this.remote.getObject(o.hash, { start: have, signal: this.opts.signal });
    let hashState = hasher;
    if (have > 0 && !resumed) {
      // The server sent the whole object: start over.
      hashState = createHash('sha256');
      have = 0;
    }
    const out = await fs.promises.open(partial, have > 0 ? 'r+' : 'w');
    let size = have;
    const inFlight: Promise<unknown>[] = [];
    let unsynced = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hashState.update(chunk);
        const w = out.write(chunk, 0, chunk.length, size);
        w.catch(() => {});
        inFlight.push(w);
        if (inFlight.length >= 8) await inFlight.shift();
        size += chunk.length;
        this.bytes += chunk.length;
        unsynced += chunk.length;
        // Flush as it goes, so the sync at commit has little left to write.
        if (this.ws.durable && unsynced >= 128 << 20) {
          unsynced = 0;
          await Promise.all(inFlight.splice(0));
          await out.datasync();
        }
        report();
      }
      await Promise.all(inFlight.splice(0));
    } finally {
      await Promise.allSettled(inFlight);
      await out.close();
    }
    const actual = hashState.digest('hex');
    if (actual !== o.hash) {
      fs.rmSync(partial, { force: true });
      throw new CairnError('INVALID_STATE', `Object ${o.hash} from ${this.remote.client.url} arrived with other bytes (sha256 ${actual}); nothing was kept.`);
    }
    const writer = new FsObjectWriter(this.ws.objects, this.ws.durable);
    writer.adoptVerified(partial, o.hash, size);
    await writer.commit();
    recordOwned(this.ws, [{ hash: o.hash, kind: o.kind }]);
    this.downloaded++;
  }
}
