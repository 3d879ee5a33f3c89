import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataDiffReport, DataLogEntry, DataStatusReport } from '../../backend/api/data';
import { CairnClient } from '../../backend/client/cairn-client';
import { ObjectClient } from '../../backend/client/object-client';
import { addData, type AddResult } from '../../backend/data/add';
import { checkoutData, type CheckoutResult } from '../../backend/data/checkout';
import { diffData } from '../../backend/data/diff';
import { dataLog } from '../../backend/data/log';
import type { ProgressFn } from '../../backend/data/progress';
import { pullData, type PullReport } from '../../backend/data/pull';
import { pushData, type PushReport } from '../../backend/data/push';
import { dataStatus } from '../../backend/data/status';
import { openWorkspace, type DataWorkspace } from '../../backend/data/workspace';
import type { BackendConnection } from '../backend/backend-connection';

/** A Cairn backend to push to or pull from other than the one the extension is connected to. */
export interface RemoteSpec {
  url: string;
  token?: string;
}

export interface TransferRequest {
  paths?: string[];
  remote?: RemoteSpec;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

/**
 * The data-versioning engine (backend/data) run in the extension host for one workspace folder —
 * the same code `cairn data …` runs, so the view, the commands and the CLI agree byte for byte.
 * Objects go to the workspace store; push/pull talk to a backend through the typed clients.
 */
export class DatasetService {
  private ws: Promise<DataWorkspace> | undefined;

  constructor(
    readonly folder: string,
    private readonly backend: BackendConnection,
  ) {}

  workspace(): Promise<DataWorkspace> {
    this.ws ??= openWorkspace(this.folder).catch((err: unknown) => {
      this.ws = undefined;
      throw err;
    });
    return this.ws;
  }

  /** Empty until the folder has a Cairn store: opening the engine creates `.cairn/`, which merely viewing must not. */
  async status(): Promise<DataStatusReport> {
    if (!this.ws && !fs.existsSync(path.join(this.folder, '.cairn'))) return { workspace: this.folder, entries: [] };
    return dataStatus(await this.workspace(), [], { cwd: this.folder });
  }

  async versions(path: string): Promise<DataLogEntry[]> {
    const ws = await this.workspace();
    return ws.git ? dataLog(ws, path, { cwd: ws.root, max: 100 }) : [];
  }

  async add(paths: string[], onProgress?: ProgressFn): Promise<AddResult[]> {
    return addData(await this.workspace(), paths, { cwd: this.folder, onProgress });
  }

  async checkout(path: string, opts: { rev?: string; force?: boolean; onProgress?: ProgressFn }): Promise<CheckoutResult[]> {
    const ws = await this.workspace();
    return checkoutData(ws, [path], { cwd: ws.root, rev: opts.rev, force: opts.force, onProgress: opts.onProgress });
  }

  /** `b` undefined: against the data on disk. */
  async diff(path: string, a: string, b?: string): Promise<DataDiffReport> {
    const ws = await this.workspace();
    return diffData(ws, path, a, b, { cwd: ws.root });
  }

  async push(req: TransferRequest): Promise<PushReport> {
    const ws = await this.workspace();
    return pushData(ws, await this.remote(req.remote), { paths: req.paths, cwd: ws.root, onProgress: req.onProgress, signal: req.signal });
  }

  async pull(req: TransferRequest & { force?: boolean }): Promise<PullReport> {
    const ws = await this.workspace();
    return pullData(ws, await this.remote(req.remote), { paths: req.paths, cwd: ws.root, force: req.force, onProgress: req.onProgress, signal: req.signal });
  }

  private async remote(spec: RemoteSpec | undefined): Promise<ObjectClient> {
    if (spec) return new ObjectClient(new CairnClient({ url: spec.url, token: spec.token }));
    return new ObjectClient(await this.backend.ready());
  }
}
