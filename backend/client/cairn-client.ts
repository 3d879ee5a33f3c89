import type { MetricSeriesResponse, ServerInfo } from '../api/cairn';
import type {
  DatasetSummary,
  DatasetVersion,
  DatasetVersionInput,
  GetDatasetResponse,
  ListDatasetsResponse,
  MissingObjectsResponse,
  ObjectsInUseResponse,
} from '../api/data';
import type { AuditEntry, DriftReportSummary, DriftRequest, MonitorStatus, PipelineRunResult, QualityReport, QualityRequest, StoredDriftReport } from '../api/drift';
import type { LogTailRequest, LogTailResponse } from '../api/log-tail';
import type { PipelineStatusResponse } from '../api/pipelines';
import type { DatasetInput, Experiment, FileInfo, KeyValue, Metric, Run, RunInfo, RunStatus, SearchRunsRequest, SearchRunsResponse, ViewType, WireDouble } from '../api/mlflow';

/** A failed call: the server's `{error_code, message}`, or `UNREACHABLE` when no answer came. */
export class BackendError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(`${code}: ${message}`);
    this.name = 'BackendError';
  }

  static is(err: unknown, code?: string): err is BackendError {
    return err instanceof BackendError && (code === undefined || err.code === code);
  }
}

export interface ClientOptions {
  url: string;
  token?: string;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** A request body already serialised as wire JSON (non-finite numbers as strings): sent as is, skipping a second encoding. */
export class WireJson {
  constructor(readonly text: string) {}
}

type WireMetric = { key: string; value: WireDouble; timestamp: number; step: number };

/**
 * The one typed client of Cairn's backend (MLflow REST + native API), used by the launcher, the
 * extension, the webviews' HTTP host and the tests. Works wherever `fetch` exists.
 */
export class CairnClient {
  readonly url: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(opts: ClientOptions) {
    this.url = opts.url.replace(/\/+$/, '');
    this.token = opts.token;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    // Bound: browsers throw 'Illegal invocation' for a fetch called as a method of another object.
    this.fetchImpl = opts.fetch ?? ((input, init) => fetch(input, init));
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  /** Calls an endpoint; GET bodies travel as query strings, like the mlflow client sends them. */
  async call<T>(method: string, path: string, body?: Record<string, unknown> | WireJson, signal?: AbortSignal): Promise<T> {
    let target = `${this.url}${path}`;
    const init: RequestInit = { method, headers: this.headers() };
    if (body instanceof WireJson) {
      init.body = body.text;
      init.headers = this.headers({ 'Content-Type': 'application/json' });
    } else if (body && (method === 'GET' || method === 'HEAD')) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(body)) {
        if (v === undefined || v === null) continue;
        for (const item of Array.isArray(v) ? v : [v]) q.append(k, String(item));
      }
      target += `?${q}`;
    } else if (body) {
      init.body = JSON.stringify(body, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity') : v));
      init.headers = this.headers({ 'Content-Type': 'application/json' });
    }
    init.signal = signal ? AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]) : AbortSignal.timeout(this.timeoutMs);
    let res: Response;
    try {
      res = await this.fetchImpl(target, init);
    } catch (err) {
      throw new BackendError('UNREACHABLE', `cannot reach ${this.url}: ${(err as Error).message}`, 0);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      throw new BackendError(res.ok ? 'BAD_RESPONSE' : `HTTP_${res.status}`, text.slice(0, 200), res.status);
    }
    if (!res.ok) {
      const e = json as { error_code?: string; message?: string };
      throw new BackendError(e.error_code ?? `HTTP_${res.status}`, e.message ?? text.slice(0, 200), res.status);
    }
    return json as T;
  }

  mlflow<T>(method: string, rpc: string, body?: Record<string, unknown>): Promise<T> {
    return this.call<T>(method, `/api/2.0/mlflow/${rpc}`, body);
  }

  health(): Promise<{ status: string }> {
    return this.call('GET', '/health');
  }

  info(): Promise<ServerInfo> {
    return this.call('GET', '/api/cairn/v1/info');
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      return (await this.mlflow<{ experiment: Experiment }>('GET', 'experiments/get-by-name', { experiment_name: name })).experiment;
    } catch (err) {
      if (BackendError.is(err, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
      throw err;
    }
  }

  async createExperiment(name: string, tags: KeyValue[] = []): Promise<string> {
    return (await this.mlflow<{ experiment_id: string }>('POST', 'experiments/create', { name, tags })).experiment_id;
  }

  /** The experiment's id, creating it if needed (what `mlflow.set_experiment` does). */
  async ensureExperiment(name: string): Promise<string> {
    const found = await this.getExperimentByName(name);
    if (found) return found.experiment_id;
    try {
      return await this.createExperiment(name);
    } catch (err) {
      if (!BackendError.is(err, 'RESOURCE_ALREADY_EXISTS')) throw err;
      return (await this.getExperimentByName(name))!.experiment_id;
    }
  }

  async createRun(req: { experimentId: string; runName?: string; startTime?: number; tags?: KeyValue[]; userId?: string }): Promise<Run> {
    return (
      await this.mlflow<{ run: Run }>('POST', 'runs/create', {
        experiment_id: req.experimentId,
        run_name: req.runName,
        start_time: req.startTime ?? Date.now(),
        tags: req.tags ?? [],
        user_id: req.userId,
      })
    ).run;
  }

  async getRun(runId: string): Promise<Run> {
    return (await this.mlflow<{ run: Run }>('GET', 'runs/get', { run_id: runId })).run;
  }

  async updateRun(runId: string, req: { status?: RunStatus; endTime?: number; runName?: string }): Promise<RunInfo> {
    return (await this.mlflow<{ run_info: RunInfo }>('POST', 'runs/update', { run_id: runId, status: req.status, end_time: req.endTime, run_name: req.runName })).run_info;
  }

  async logBatch(runId: string, batch: { metrics?: Metric[]; params?: KeyValue[]; tags?: KeyValue[] }): Promise<void> {
    await this.mlflow('POST', 'runs/log-batch', { run_id: runId, metrics: batch.metrics ?? [], params: batch.params ?? [], tags: batch.tags ?? [] });
  }

  async searchRuns(req: SearchRunsRequest): Promise<SearchRunsResponse> {
    const res = await this.mlflow<SearchRunsResponse>('POST', 'runs/search', req as Record<string, unknown>);
    return { runs: (res.runs ?? []).map(decodeRun), next_page_token: res.next_page_token };
  }

  async metricHistory(runId: string, key: string): Promise<Metric[]> {
    const res = await this.mlflow<{ metrics?: WireMetric[] }>('GET', 'metrics/get-history', { run_id: runId, metric_key: key });
    return (res.metrics ?? []).map(decodeMetric);
  }

  /** A metric downsampled to at most `maxPoints`, optionally only the steps in `range` (zooming in). */
  metricSeries(runId: string, key: string, maxPoints = 1000, range?: { startStep: number; endStep: number }): Promise<MetricSeriesResponse> {
    return this.call('GET', `/api/cairn/v1/runs/${encodeURIComponent(runId)}/metrics/${key.split('/').map(encodeURIComponent).join('/')}`, {
      max_points: maxPoints,
      start_step: range?.startStep,
      end_step: range?.endStep,
    });
  }

  async searchExperiments(viewType: ViewType = 'ACTIVE_ONLY'): Promise<Experiment[]> {
    const out: Experiment[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.mlflow<{ experiments?: Experiment[]; next_page_token?: string }>('POST', 'experiments/search', { max_results: 1000, view_type: viewType, page_token: pageToken });
      out.push(...(res.experiments ?? []));
      pageToken = res.next_page_token || undefined;
    } while (pageToken);
    return out;
  }

  /** Every run matching the request, following page tokens (pages of `pageSize`). */
  async searchAllRuns(req: Omit<SearchRunsRequest, 'page_token' | 'max_results'>, pageSize = 5000): Promise<Run[]> {
    const out: Run[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.searchRuns({ ...req, max_results: pageSize, page_token: pageToken });
      out.push(...res.runs);
      pageToken = res.next_page_token || undefined;
    } while (pageToken);
    return out;
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.mlflow('POST', 'runs/set-tag', { run_id: runId, key, value });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.mlflow('POST', 'runs/delete-tag', { run_id: runId, key });
  }

  async deleteRun(runId: string): Promise<void> {
    await this.mlflow('POST', 'runs/delete', { run_id: runId });
  }

  async restoreRun(runId: string): Promise<void> {
    await this.mlflow('POST', 'runs/restore', { run_id: runId });
  }

  /** The entries of one artifact folder of a run (`path` relative to the run's artifact root). */
  async listArtifacts(runId: string, path = ''): Promise<FileInfo[]> {
    return (await this.mlflow<{ files?: FileInfo[] }>('GET', 'artifacts/list', { run_id: runId, path: path || undefined })).files ?? [];
  }

  /** The bytes of one artifact (`relPath` relative to the run's artifact root); undefined when it does not exist. */
  async downloadArtifact(run: RunInfo, relPath: string, signal?: AbortSignal): Promise<Uint8Array | undefined> {
    const root = run.artifact_uri.replace(/^mlflow-artifacts:(\/\/[^/]*)?\/*/, '');
    const target = `${this.url}/api/2.0/mlflow-artifacts/artifacts/${[...root.split('/'), ...relPath.split('/')].filter(Boolean).map(encodeURIComponent).join('/')}`;
    let res: Response;
    try {
      const timeout = AbortSignal.timeout(this.timeoutMs);
      res = await this.fetchImpl(target, { headers: this.headers(), signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (err) {
      throw new BackendError('UNREACHABLE', `cannot reach ${this.url}: ${(err as Error).message}`, 0);
    }
    if (res.status === 404) return undefined;
    if (!res.ok) {
      const e = (await res.json().catch(() => ({}))) as { error_code?: string; message?: string };
      throw new BackendError(e.error_code ?? `HTTP_${res.status}`, e.message ?? res.statusText, res.status);
    }
    return new Uint8Array(await res.arrayBuffer());
  }

  /** Uploads bytes to the artifact proxy under the run's artifact root. */
  async uploadArtifact(run: RunInfo, relPath: string, data: Uint8Array | string | ReadableStream<Uint8Array>): Promise<void> {
    await this.putArtifact(artifactPathOf(run, relPath), data);
  }

  /** PUT to the artifact proxy at a full artifact path (`<experiment>/<run>/artifacts/<rel>`); a stream is sent as it is read. */
  async putArtifact(artifactPath: string, data: Uint8Array | string | ReadableStream<Uint8Array>): Promise<void> {
    const init: RequestInit & { duplex?: 'half' } = { method: 'PUT', headers: this.headers({ 'Content-Type': 'application/octet-stream' }), body: data as BodyInit, signal: AbortSignal.timeout(this.timeoutMs) };
    if (typeof data === 'object' && 'getReader' in data) init.duplex = 'half';
    const res = await this.send(this.artifactUrl(artifactPath), init);
    if (!res.ok) throw await errorOf(res);
    await res.arrayBuffer();
  }

  /** Downloads an artifact of a run; RESOURCE_DOES_NOT_EXIST when there is none. */
  async getArtifact(run: RunInfo, relPath: string): Promise<Uint8Array> {
    const bytes = await this.downloadArtifact(run, relPath);
    if (!bytes) throw new BackendError('RESOURCE_DOES_NOT_EXIST', `Artifact '${relPath}' of run ${run.run_id} does not exist.`, 404);
    return bytes;
  }

  /** One folder of a run's artifacts through the artifact proxy (`''` for the root); paths are basenames. */
  async listArtifactDir(run: RunInfo, relDir = ''): Promise<FileInfo[]> {
    const res = await this.call<{ files?: FileInfo[] }>('GET', '/api/2.0/mlflow-artifacts/artifacts', { path: artifactPathOf(run, relDir) });
    return res.files ?? [];
  }

  /** Publishes lines of a live run's output as a `log.tail` event. */
  async postLogTail(runId: string, lines: string[]): Promise<void> {
    await this.call('POST', `/api/cairn/v1/runs/${encodeURIComponent(runId)}/log-tail`, { lines } satisfies LogTailRequest);
  }

  /** The last lines of a live run's output the server has seen (kept in memory while the server runs). */
  logTail(runId: string): Promise<LogTailResponse> {
    return this.call('GET', `/api/cairn/v1/runs/${encodeURIComponent(runId)}/log-tail`);
  }

  private artifactUrl(artifactPath: string): string {
    return `${this.url}/api/2.0/mlflow-artifacts/artifacts/${artifactPath.split('/').map(encodeURIComponent).join('/')}`;
  }

  private async send(target: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(target, init);
    } catch (err) {
      throw new BackendError('UNREACHABLE', `cannot reach ${this.url}: ${(err as Error).message}`, 0);
    }
  }

  /** Runs a drift report on the backend (paths are inside its workspace); it is stored and announced. */
  createDriftReport(req: DriftRequest, timeoutMs = 30 * 60_000): Promise<StoredDriftReport> {
    return this.call('POST', '/api/cairn/v1/drift/reports', req as unknown as Record<string, unknown>, AbortSignal.timeout(timeoutMs));
  }

  async listDriftReports(opts: { monitor?: string; limit?: number } = {}): Promise<DriftReportSummary[]> {
    return (await this.call<{ reports: DriftReportSummary[] }>('GET', '/api/cairn/v1/drift/reports', opts)).reports;
  }

  getDriftReport(id: string): Promise<StoredDriftReport> {
    return this.call('GET', `/api/cairn/v1/drift/reports/${encodeURIComponent(id)}`);
  }

  /** Monitors (from cairn.yaml after syncMonitors) with their state. */
  listMonitors(): Promise<{ monitors: MonitorStatus[] }> {
    return this.call('GET', '/api/cairn/v1/monitors');
  }

  /** Re-reads monitors and retrain triggers from the workspace's cairn.yaml. */
  syncMonitors(): Promise<{ monitors: MonitorStatus[] }> {
    return this.call('POST', '/api/cairn/v1/monitors/sync', {});
  }

  checkMonitor(name: string): Promise<{ monitor: MonitorStatus; report?: StoredDriftReport }> {
    return this.call('POST', `/api/cairn/v1/monitors/${encodeURIComponent(name)}/check`, {}, AbortSignal.timeout(30 * 60_000));
  }

  /** Retrain now (runs the workspace pipeline on the backend); `wait` for its result; `monitor` (a known monitor) is recorded in the audit trail. */
  runPipeline(opts: { wait?: boolean; trigger?: string; monitor?: string } = {}): Promise<{ started: boolean; result?: PipelineRunResult }> {
    return this.call('POST', '/api/cairn/v1/pipelines/run', opts, AbortSignal.timeout(6 * 3600_000));
  }

  /** The workspace pipeline (cairn.yaml): stages, their state and the last execution. RESOURCE_DOES_NOT_EXIST without a cairn.yaml. */
  pipelineStatus(): Promise<PipelineStatusResponse> {
    return this.call('GET', '/api/cairn/v1/pipelines/status');
  }

  async audit(opts: { limit?: number; monitor?: string } = {}): Promise<AuditEntry[]> {
    return (await this.call<{ entries: AuditEntry[] }>('GET', '/api/cairn/v1/audit', opts)).entries;
  }

  /** Model quality per time window from a deployment's prediction log joined with feedback labels. */
  qualityReport(req: QualityRequest): Promise<QualityReport> {
    return this.call('POST', '/api/cairn/v1/quality/reports', req as unknown as Record<string, unknown>);
  }

  // ── Data versioning (objects and datasets) ──────────────────────────────────────────────

  /** Which of these objects the backend lacks (asked in chunks). */
  async missingObjects(hashes: string[]): Promise<string[]> {
    const missing: string[] = [];
    for (let i = 0; i < hashes.length; i += 50_000) {
      missing.push(...(await this.call<MissingObjectsResponse>('POST', '/api/cairn/v1/objects/missing', { hashes: hashes.slice(i, i + 50_000) })).missing);
    }
    return missing;
  }

  /** Which of these objects artifacts, dataset versions or run inputs still reference. */
  async objectsInUse(hashes: string[]): Promise<string[]> {
    const used: string[] = [];
    for (let i = 0; i < hashes.length; i += 50_000) {
      used.push(...(await this.call<ObjectsInUseResponse>('POST', '/api/cairn/v1/objects/in-use', { hashes: hashes.slice(i, i + 50_000) })).in_use);
    }
    return used;
  }

  async registerDatasetVersions(versions: DatasetVersionInput[]): Promise<void> {
    await this.call('POST', '/api/cairn/v1/datasets/versions', { versions });
  }

  async listDatasets(): Promise<DatasetSummary[]> {
    return (await this.call<ListDatasetsResponse>('GET', '/api/cairn/v1/datasets')).datasets;
  }

  async getDataset(name: string): Promise<DatasetVersion[]> {
    return (await this.call<GetDatasetResponse>('GET', `/api/cairn/v1/datasets/${name.split('/').map(encodeURIComponent).join('/')}`)).versions;
  }

  /** MLflow's runs/log-inputs: the datasets a run used. */
  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    await this.mlflow('POST', 'runs/log-inputs', { run_id: runId, datasets });
  }

  /**
   * A raw request (binary bodies and answers; streaming clients build on it). A failure answer
   * becomes a BackendError. No overall timeout unless `init.signal` sets one: objects can be large.
   */
  async request(path: string, init: RequestInit): Promise<Response> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.url}${path}`, init);
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new BackendError('UNREACHABLE', `cannot reach ${this.url}: ${(err as Error).message}`, 0);
    }
    if (!res.ok) {
      const text = await res.text();
      let e: { error_code?: string; message?: string } = {};
      try {
        e = JSON.parse(text) as typeof e;
      } catch {
        // not JSON
      }
      throw new BackendError(e.error_code ?? `HTTP_${res.status}`, e.message ?? text.slice(0, 200), res.status);
    }
    return res;
  }
}

/** The full artifact-proxy path of `relPath` under a run's artifact root (`mlflow-artifacts:/0/<run>/artifacts`). */
export function artifactPathOf(run: Pick<RunInfo, 'artifact_uri'>, relPath: string): string {
  const root = run.artifact_uri.replace(/^mlflow-artifacts:(\/\/[^/]*)?\/*/, '').replace(/\/+$/, '');
  return [root, ...relPath.split('/')].filter((s) => s !== '').join('/');
}

async function errorOf(res: Response): Promise<BackendError> {
  const e = (await res.json().catch(() => ({}))) as { error_code?: string; message?: string };
  return new BackendError(e.error_code ?? `HTTP_${res.status}`, e.message ?? res.statusText, res.status);
}

export function decodeDouble(v: WireDouble | number): number {
  if (typeof v === 'number') return v;
  return v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : Number(v);
}

const decodeMetric = (m: WireMetric): Metric => ({ key: m.key, value: decodeDouble(m.value), timestamp: Number(m.timestamp), step: Number(m.step ?? 0) });

function decodeRun(r: Run): Run {
  return { ...r, data: { ...r.data, metrics: (r.data.metrics ?? []).map((m) => decodeMetric(m as unknown as WireMetric)), params: r.data.params ?? [], tags: r.data.tags ?? [] } };
}
