import { randomUUID } from 'node:crypto';
import type { ModelVersion } from '../api/mlflow';
import type { ModelSignature } from '../api/registry';
import type { CreateDeploymentRequest, DeploymentRecord, DeploymentStatus, FeedbackRequest, PredictionRecord, UpdateDeploymentRequest } from '../api/serving';
import { CairnError, alreadyExists, invalidParam, notFound } from '../core/errors';
import type { EventBus } from '../events/event-bus';
import { parseModelRef, resolveModelRef } from '../registry/model-ref';
import { signatureOfTag } from '../registry/signature';
import type { MetadataStore } from '../store/metadata-store';
import { DEFAULT_CONFIG, deploymentNameFor, mergeConfig, validateDeploymentName } from './deployment-config';
import { LiveDeployment } from './live-deployment';
import { PredictionLog, predictionLogDir } from './prediction-log';
import { badPayload } from './protocols/payload-error';
import { loadIsolatedRuntime } from './runtimes/load-runtime';
import { rowValue, type Tensor } from './tensor';
import { Variant } from './variant';

export interface ServingDeps {
  meta: MetadataStore;
  events: EventBus;
  /** The version's model folder on local disk. */
  folderOf(mv: ModelVersion): Promise<string>;
  /** `<store>/predictions`: one folder per deployment. */
  logRoot: string;
  fsync: boolean;
  log: (msg: string) => void;
}

export interface InferenceResult {
  outputs: Tensor[];
  version: string;
  requestId: string;
}

/**
 * The serving engine: deployments (persisted in the metadata store, reloaded at start), each with
 * its model versions in worker threads or processes; alias following with warm-up and draining;
 * rollback; canary split; the prediction log and feedback.
 */
export class DeploymentManager {
  private readonly live = new Map<string, LiveDeployment>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private unsubscribe: (() => void) | undefined;
  private closed = false;

  constructor(private readonly deps: ServingDeps) {}

  /** Reloads persisted deployments in the background and starts following aliases. */
  async start(): Promise<void> {
    this.unsubscribe = this.deps.events.subscribe((e) => {
      if (e.type === 'model.updated') for (const d of this.live.values()) if (d.record.follow && d.record.model_name === e.name) void this.follow(d.name);
    });
    for (const rec of await this.deps.meta.listDeployments()) {
      const dep = this.track(rec);
      void this.withLock(rec.name, async () => {
        try {
          if (rec.follow && rec.alias) {
            const now = await this.deps.meta.getVersionByAlias(rec.model_name, rec.alias).catch(() => undefined);
            if (now && now.version !== rec.version) await this.persist(dep, { ...rec, version: now.version, previous_version: rec.version });
          }
          dep.primary = await this.startVariant(dep.record.model_name, dep.record.version, dep);
          if (dep.record.canary_version) dep.canary = await this.startVariant(dep.record.model_name, dep.record.canary_version, dep, 'canary').catch(() => undefined);
        } catch (err) {
          dep.failure = (err as Error).message;
          this.deps.log(`deployment ${rec.name}: cannot load ${rec.model_name}/${rec.version}: ${dep.failure}`);
        }
      });
    }
  }

  list(): DeploymentStatus[] {
    return [...this.live.values()].sort((a, b) => a.name.localeCompare(b.name)).map((d) => d.status());
  }

  get(name: string): LiveDeployment {
    const d = this.live.get(name);
    if (!d) throw notFound(`No deployment named '${name}'.${this.live.size ? ` Deployments: ${[...this.live.keys()].join(', ')}.` : ''}`);
    return d;
  }

  status(name: string): DeploymentStatus {
    return this.get(name).status();
  }

  /**
   * Deploys `model` (NAME@ALIAS follows the alias, NAME/VERSION pins). On an existing deployment it
   * switches version with warm-up and draining — or, with `canary_percent` > 0, loads it as the canary.
   */
  async deploy(req: CreateDeploymentRequest): Promise<DeploymentStatus> {
    const ref = parseModelRef(req.model);
    const mv = await resolveModelRef(this.deps.meta, ref);
    const name = validateDeploymentName(req.name ?? deploymentNameFor(ref.name));
    return this.withLock(name, async () => {
      const existing = this.live.get(name);
      if (existing && existing.record.model_name !== ref.name) throw alreadyExists(`Deployment '${name}' already serves model '${existing.record.model_name}'; undeploy it or choose another --name.`);
      const now = Date.now();
      const config = mergeConfig(existing?.record.config ?? DEFAULT_CONFIG, req.config);
      const alias = 'alias' in ref ? ref.alias : undefined;
      if (!existing) {
        const rec: DeploymentRecord = { name, model_name: ref.name, alias, follow: alias !== undefined, version: mv.version, config, created: now, updated: now };
        const dep = this.track(rec);
        try {
          dep.primary = await this.startVariant(ref.name, mv.version, dep);
        } catch (err) {
          this.live.delete(name);
          await dep.log.close();
          throw invalidParam(`Cannot deploy ${ref.name}/${mv.version}: ${(err as Error).message}`);
        }
        await this.persist(dep, rec);
        return dep.status();
      }
      existing.primary?.configure(config.batching);
      if (config.canary_percent > 0 && existing.primary && existing.primary.version !== mv.version) {
        // A canary leaves the deployment's binding (alias or pinned version) as it is.
        await this.setCanary(existing, mv.version);
        await this.persist(existing, { ...existing.record, config, canary_version: mv.version, updated: now });
      } else {
        const rec = { ...existing.record, config, alias, follow: alias !== undefined, updated: now };
        await this.persist(existing, rec);
        if (existing.primary?.version !== mv.version) await this.switchPrimary(existing, mv.version);
      }
      return existing.status();
    });
  }

  async update(name: string, req: UpdateDeploymentRequest): Promise<DeploymentStatus> {
    return this.withLock(name, async () => {
      const dep = this.get(name);
      const config = mergeConfig(dep.record.config, req.config);
      for (const v of [dep.primary, dep.canary]) v?.configure(config.batching);
      let canary = dep.record.canary_version;
      if (req.canary_version === null) {
        await this.setCanary(dep, undefined);
        canary = undefined;
      } else if (req.canary_version !== undefined) {
        await this.deps.meta.getModelVersion(dep.record.model_name, req.canary_version);
        await this.setCanary(dep, req.canary_version);
        canary = req.canary_version;
      }
      await this.persist(dep, { ...dep.record, config, canary_version: canary, updated: Date.now() });
      return dep.status();
    });
  }

  /** Back to the version served before the last switch; pins the deployment (stops following). */
  async rollback(name: string): Promise<DeploymentStatus> {
    return this.withLock(name, async () => {
      const dep = this.get(name);
      const target = dep.record.previous_version;
      if (!target) throw invalidParam(`Deployment '${name}' has no previous version to roll back to (it has only served ${dep.record.model_name}/${dep.record.version}).`);
      await this.deps.meta.getModelVersion(dep.record.model_name, target);
      await this.switchPrimary(dep, target, { follow: false });
      return dep.status();
    });
  }

  async undeploy(name: string): Promise<void> {
    await this.withLock(name, async () => {
      const dep = this.get(name);
      this.live.delete(name);
      await this.deps.meta.deleteDeployment(name);
      await Promise.all([dep.primary, dep.canary, ...dep.draining].map((v) => v?.stop()));
      await dep.log.close();
    });
  }

  /** Runs one request through the deployment and records it (stats, sampled prediction log). */
  async infer(dep: LiveDeployment, version: string | undefined, parse: (sig: ModelSignature) => Tensor[], meta: { protocol: 'oip' | 'mlflow'; requestId?: string }): Promise<InferenceResult> {
    const started = performance.now();
    const { variant, role } = dep.route(version);
    if (variant.state !== 'ready') throw new CairnError('TEMPORARILY_UNAVAILABLE', `Deployment '${dep.name}' version ${variant.version} is ${variant.state}; retry shortly.`);
    const requestId = meta.requestId || randomUUID();
    let ok = false;
    try {
      const inputs = parse(variant.signature);
      const result = await variant.infer(inputs).catch((err: Error) => {
        throw err.name === 'ModelInputError' ? badPayload(`The model refused the input: ${err.message}`) : err;
      });
      ok = true;
      const latency = performance.now() - started;
      if (dep.record.config.log_sample_rate > 0 && Math.random() < dep.record.config.log_sample_rate) {
        dep.log.append(this.recordOf(dep, variant.signature, { requestId, version: variant.version, role, protocol: meta.protocol, inputs, outputs: result.outputs, latency, batch: result.batchRows }));
      }
      return { outputs: result.outputs, version: variant.version, requestId };
    } finally {
      dep.stats.record(performance.now() - started, ok);
    }
  }

  async feedback(name: string, req: FeedbackRequest): Promise<{ request_id: string; labels: number }> {
    const dep = this.get(name);
    if (!req.request_id || typeof req.request_id !== 'string') throw invalidParam("'request_id' is required: the id of the prediction (the X-Request-Id response header, or the OIP response 'id').");
    const labels = req.labels ?? (req.label !== undefined ? [req.label] : undefined);
    if (!Array.isArray(labels) || labels.length === 0) throw invalidParam("Send 'label' (one value) or 'labels' (one per row of the request).");
    await dep.log.appendFeedback({ request_id: req.request_id, time: Date.now(), labels });
    return { request_id: req.request_id, labels: labels.length };
  }

  logDirOf(name: string): string {
    return predictionLogDir(this.deps.logRoot, validateDeploymentName(name));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    await Promise.all([...this.live.values()].map(async (d) => {
      await Promise.all([d.primary, d.canary, ...d.draining].map((v) => v?.stop()));
      await d.log.close();
    }));
  }

  private track(rec: DeploymentRecord): LiveDeployment {
    const dep = new LiveDeployment(rec, new PredictionLog(this.logDirOf(rec.name), this.deps.fsync));
    this.live.set(rec.name, dep);
    return dep;
  }

  private async persist(dep: LiveDeployment, rec: DeploymentRecord): Promise<void> {
    await this.deps.meta.putDeployment(rec);
    dep.record = rec;
  }

  private async startVariant(model: string, version: string, dep: LiveDeployment, role: 'primary' | 'canary' = 'primary'): Promise<Variant> {
    const mv = await this.deps.meta.getModelVersion(model, version);
    const dir = await this.deps.folderOf(mv);
    // Every state change of a variant (crash, restart) is logged and announced to the views.
    const notify = (m: string) => {
      this.deps.log(`deployment ${dep.name}: ${m}`);
      this.deps.events.publish({ type: 'deployment.updated', name: dep.name });
    };
    const v = new Variant(version, () => loadIsolatedRuntime(dir), dep.record.config.batching, notify);
    v.role = role;
    const tagged = signatureOfTag(mv.tags);
    await v.start(tagged ? { columns: tagged.columns, labels: tagged.labels } : undefined);
    if (this.closed) {
      // The backend shut down while this version loaded: a live worker or process would keep it running.
      await v.stop();
      throw new CairnError('TEMPORARILY_UNAVAILABLE', 'The server is shutting down.');
    }
    return v;
  }

  /** Loads and warms the new version, sends new traffic to it, and lets the old one finish its requests. */
  private async switchPrimary(dep: LiveDeployment, version: string, opts: { follow?: boolean } = {}): Promise<void> {
    const next = await this.startVariant(dep.record.model_name, version, dep);
    const old = dep.primary;
    dep.primary = next;
    dep.failure = undefined;
    const previous = old?.version ?? dep.record.version;
    await this.persist(dep, { ...dep.record, version, previous_version: previous !== version ? previous : dep.record.previous_version, follow: opts.follow ?? dep.record.follow, updated: Date.now() });
    if (old) this.retire(dep, old);
    if (dep.canary?.version === version) {
      const c = dep.canary;
      dep.canary = undefined;
      this.retire(dep, c);
      await this.persist(dep, { ...dep.record, canary_version: undefined });
    }
    this.deps.log(`deployment ${dep.name}: now serving ${dep.record.model_name}/${version} (was ${previous})`);
    this.deps.events.publish({ type: 'deployment.updated', name: dep.name });
  }

  private async setCanary(dep: LiveDeployment, version: string | undefined): Promise<void> {
    const old = dep.canary;
    dep.canary = version ? await this.startVariant(dep.record.model_name, version, dep, 'canary') : undefined;
    if (old) this.retire(dep, old);
  }

  private retire(dep: LiveDeployment, v: Variant): void {
    v.role = 'draining';
    dep.draining.add(v);
    void v
      .drained()
      .then(() => v.stop())
      .finally(() => dep.draining.delete(v));
  }

  private async follow(name: string): Promise<void> {
    await this.withLock(name, async () => {
      const dep = this.live.get(name);
      if (!dep || !dep.record.follow || !dep.record.alias || this.closed) return;
      let mv: ModelVersion;
      try {
        mv = await this.deps.meta.getVersionByAlias(dep.record.model_name, dep.record.alias);
      } catch {
        return; // alias removed: keep serving what we have
      }
      if (mv.version === dep.primary?.version) return;
      try {
        await this.switchPrimary(dep, mv.version);
      } catch (err) {
        this.deps.log(`deployment ${name}: cannot follow ${dep.record.alias} to version ${mv.version}: ${(err as Error).message}; still serving ${dep.primary?.version}`);
      }
    });
  }

  private withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(name) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.catch(() => {});
    this.locks.set(name, settled);
    void settled.then(() => {
      if (this.locks.get(name) === settled) this.locks.delete(name);
    });
    return next;
  }

  private recordOf(
    dep: LiveDeployment,
    sig: ModelSignature,
    r: { requestId: string; version: string; role: 'primary' | 'canary'; protocol: 'oip' | 'mlflow'; inputs: Tensor[]; outputs: Tensor[]; latency: number; batch: number },
  ): PredictionRecord {
    const rows = r.inputs[0]?.shape[0] ?? 0;
    const inputRows: Record<string, unknown>[] = [];
    const outputRows: Record<string, unknown>[] = [];
    const byColumn = sig.columns?.length && r.inputs.length === 1 && r.inputs[0]!.shape.length === 2 && r.inputs[0]!.shape[1] === sig.columns.length;
    for (let i = 0; i < rows; i++) {
      if (byColumn) {
        const row = rowValue(r.inputs[0]!, i) as unknown[];
        inputRows.push(Object.fromEntries(sig.columns!.map((c, k) => [c, row[k]])));
      } else inputRows.push(Object.fromEntries(r.inputs.map((t) => [t.name, rowValue(t, i)])));
      outputRows.push(labelled(Object.fromEntries(r.outputs.map((t) => [t.name, rowValue(t, i)])), sig.labels));
    }
    return {
      id: r.requestId,
      time: Date.now(),
      deployment: dep.name,
      model: dep.record.model_name,
      version: r.version,
      variant: r.role,
      protocol: r.protocol,
      inputs: inputRows,
      outputs: outputRows,
      latency_ms: Math.round(r.latency * 1000) / 1000,
      batch_size: r.batch,
    };
  }
}

/**
 * For a classifier whose signature names its classes, an output row also gets `label` (the most
 * probable class) and `probabilities` as {class: p}: what model-quality monitoring joins with labels.
 */
function labelled(row: Record<string, unknown>, labels: string[] | undefined): Record<string, unknown> {
  if (!labels?.length) return row;
  const probs = Object.entries(row).find(([, v]) => Array.isArray(v) && v.length === labels.length && v.every((x) => typeof x === 'number'));
  if (!probs) return row;
  const p = probs[1] as number[];
  const out = { ...row, probabilities: Object.fromEntries(labels.map((l, i) => [l, p[i]])) };
  if (!('predictions' in row) && !('label' in row)) (out as Record<string, unknown>)['label'] = labels[p.indexOf(Math.max(...p))];
  return out;
}
