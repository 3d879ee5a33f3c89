import type { KeyValue, ModelVersion, RegisteredModel } from '../api/mlflow';
import type { LoggedModel, ModelCard, ModelSignature, PromoteRequest, PromoteResponse } from '../api/registry';
import type { CreateDeploymentRequest, DeploymentStatus, DeploymentTraffic, FeedbackRequest, OipInferRequest, OipInferResponse, OipModelMetadata, PredictionRecord, UpdateDeploymentRequest } from '../api/serving';
import { BackendError, type CairnClient } from './cairn-client';

const enc = encodeURIComponent;

export interface RawInferenceResponse {
  /** The path it was sent to (`/v2/models/d/infer` or `/deployments/d/invocations`). */
  path: string;
  status: number;
  ok: boolean;
  requestId?: string;
  text: string;
  ms: number;
}

/**
 * Typed calls for the registry (MLflow + Cairn's card/signature/promote) and serving (deployments,
 * inference through both protocols, feedback). Wraps the one CairnClient (same auth, errors).
 */
export class ServingClient {
  constructor(readonly client: CairnClient) {}

  // ---- registry (MLflow REST)
  async createRegisteredModel(name: string, opts: { description?: string; tags?: KeyValue[] } = {}): Promise<RegisteredModel> {
    return (await this.client.mlflow<{ registered_model: RegisteredModel }>('POST', 'registered-models/create', { name, ...opts })).registered_model;
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return (await this.client.mlflow<{ registered_model: RegisteredModel }>('GET', 'registered-models/get', { name })).registered_model;
  }

  async searchRegisteredModels(filter?: string): Promise<RegisteredModel[]> {
    return (await this.client.mlflow<{ registered_models?: RegisteredModel[] }>('GET', 'registered-models/search', { filter, max_results: 1000 })).registered_models ?? [];
  }

  async searchModelVersions(name: string): Promise<ModelVersion[]> {
    return (await this.client.mlflow<{ model_versions?: ModelVersion[] }>('GET', 'model-versions/search', { filter: `name = '${name.replace(/'/g, "\\'")}'` })).model_versions ?? [];
  }

  /** `mlflow.register_model`: creates the registered model if needed, then a version. */
  async registerModel(name: string, source: string, opts: { runId?: string; modelId?: string; tags?: KeyValue[]; description?: string } = {}): Promise<ModelVersion> {
    try {
      await this.createRegisteredModel(name);
    } catch (err) {
      if (!BackendError.is(err, 'RESOURCE_ALREADY_EXISTS')) throw err;
    }
    return (
      await this.client.mlflow<{ model_version: ModelVersion }>('POST', 'model-versions/create', {
        name,
        source,
        run_id: opts.runId,
        model_id: opts.modelId,
        tags: opts.tags ?? [],
        description: opts.description,
      })
    ).model_version;
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return (await this.client.mlflow<{ model_version: ModelVersion }>('GET', 'model-versions/get', { name, version })).model_version;
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return (await this.client.mlflow<{ model_version: ModelVersion }>('GET', 'registered-models/alias', { name, alias })).model_version;
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.client.mlflow('POST', 'registered-models/alias', { name, alias, version });
  }

  async createLoggedModel(req: { experimentId: string; name: string; sourceRunId?: string; modelType?: string; params?: KeyValue[]; tags?: KeyValue[] }): Promise<LoggedModel> {
    return (
      await this.client.mlflow<{ model: LoggedModel }>('POST', 'logged-models', {
        experiment_id: req.experimentId,
        name: req.name,
        source_run_id: req.sourceRunId,
        model_type: req.modelType,
        params: req.params ?? [],
        tags: req.tags ?? [],
      })
    ).model;
  }

  /** MLflow 3 logged models of these experiments (the Models view filters them by source run). */
  async searchLoggedModels(experimentIds: string[]): Promise<LoggedModel[]> {
    return (await this.client.mlflow<{ models?: LoggedModel[] }>('POST', 'logged-models/search', { experiment_ids: experimentIds, max_results: 1000 })).models ?? [];
  }

  // ---- registry (native)
  async modelCard(name: string, version: string): Promise<ModelCard> {
    return (await this.client.call<{ card: ModelCard }>('GET', `/api/cairn/v1/models/${enc(name)}/versions/${enc(version)}/card`)).card;
  }

  async modelFiles(name: string, version: string): Promise<{ artifact_path: string; files: { path: string; hash: string; size: number }[] }> {
    return this.client.call('GET', `/api/cairn/v1/models/${enc(name)}/versions/${enc(version)}/files`);
  }

  async inferSignature(name: string, version: string, sample: Record<string, unknown>[] | { columns: string[]; data: unknown[][] }, labels?: string[]): Promise<ModelSignature> {
    return (await this.client.call<{ signature: ModelSignature }>('POST', `/api/cairn/v1/models/${enc(name)}/versions/${enc(version)}/signature`, { sample, labels })).signature;
  }

  promote(name: string, version: string, req: PromoteRequest): Promise<PromoteResponse> {
    return this.client.call('POST', `/api/cairn/v1/models/${enc(name)}/versions/${enc(version)}/promote`, { ...req });
  }

  // ---- deployments
  async deployments(): Promise<DeploymentStatus[]> {
    return (await this.client.call<{ deployments: DeploymentStatus[] }>('GET', '/api/cairn/v1/deployments')).deployments;
  }

  async deployment(name: string): Promise<DeploymentStatus> {
    return (await this.client.call<{ deployment: DeploymentStatus }>('GET', `/api/cairn/v1/deployments/${enc(name)}`)).deployment;
  }

  async deploy(req: CreateDeploymentRequest): Promise<DeploymentStatus> {
    return (await this.client.call<{ deployment: DeploymentStatus }>('POST', '/api/cairn/v1/deployments', { ...req })).deployment;
  }

  /** Every deployment's state, version and traffic figures (req/s, p50/p99): cheap enough to poll. */
  async servingStats(): Promise<DeploymentTraffic[]> {
    return (await this.client.call<{ deployments: DeploymentTraffic[] }>('GET', '/api/cairn/v1/serving/stats')).deployments;
  }

  async updateDeployment(name: string, req: UpdateDeploymentRequest): Promise<DeploymentStatus> {
    return (await this.client.call<{ deployment: DeploymentStatus }>('PATCH', `/api/cairn/v1/deployments/${enc(name)}`, { ...req })).deployment;
  }

  async undeploy(name: string): Promise<void> {
    await this.client.call('DELETE', `/api/cairn/v1/deployments/${enc(name)}`);
  }

  async rollback(name: string): Promise<DeploymentStatus> {
    return (await this.client.call<{ deployment: DeploymentStatus }>('POST', `/api/cairn/v1/deployments/${enc(name)}/rollback`)).deployment;
  }

  feedback(name: string, req: FeedbackRequest): Promise<{ request_id: string; labels: number }> {
    return this.client.call('POST', `/api/cairn/v1/deployments/${enc(name)}/feedback`, { ...req });
  }

  async predictions(name: string, limit = 100): Promise<PredictionRecord[]> {
    return (await this.client.call<{ predictions: PredictionRecord[] }>('GET', `/api/cairn/v1/deployments/${enc(name)}/predictions`, { limit })).predictions;
  }

  // ---- inference
  modelMetadata(deployment: string, version?: string): Promise<OipModelMetadata> {
    return this.client.call('GET', `/v2/models/${enc(deployment)}${version ? `/versions/${enc(version)}` : ''}`);
  }

  infer(deployment: string, req: OipInferRequest, version?: string): Promise<OipInferResponse> {
    return this.client.call('POST', `/v2/models/${enc(deployment)}${version ? `/versions/${enc(version)}` : ''}/infer`, { ...req });
  }

  /**
   * Sends a JSON body as written (a test request from the editor) through either protocol: the
   * answer whatever its status (a 400 says what the model expected), its request id and latency.
   */
  async sendRaw(deployment: string, protocol: 'oip' | 'mlflow', body: string, timeoutMs = 60_000): Promise<RawInferenceResponse> {
    const path = protocol === 'oip' ? `/v2/models/${enc(deployment)}/infer` : `/deployments/${enc(deployment)}/invocations`;
    const started = performance.now();
    let res: Response;
    try {
      res = await fetch(`${this.client.url}${path}`, { method: 'POST', headers: this.client.headers({ 'Content-Type': 'application/json' }), body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new BackendError('UNREACHABLE', `cannot reach ${this.client.url}: ${(err as Error).message}`, 0);
    }
    const text = await res.text();
    return { path, status: res.status, ok: res.ok, requestId: res.headers.get('x-request-id') ?? undefined, text, ms: performance.now() - started };
  }

  /** MLflow scoring: `{dataframe_split | dataframe_records | instances | inputs}` → `{predictions}`. */
  invocations(deployment: string, body: Record<string, unknown>): Promise<{ predictions: unknown }> {
    return this.client.call('POST', `/deployments/${enc(deployment)}/invocations`, body);
  }
}
