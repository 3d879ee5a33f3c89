import type { ModelSignature } from '../api/registry';
import type { BatchingConfig, DeploymentState, VariantStatus } from '../api/serving';
import { CairnError } from '../core/errors';
import { Batcher, type BatchResult } from './batcher';
import { ModelInputError, RuntimeCrashed, type ModelRuntime } from './runtimes/model-runtime';
import type { Tensor } from './tensor';

export type LoadRuntime = () => Promise<ModelRuntime>;

const RESTART_DELAYS_MS = [100, 500, 1000, 2000, 5000, 10_000];
const WARM_UP_TIMEOUT_MS = 30_000;

/**
 * One loaded model version of a deployment: its runtime (worker thread or process), its batcher,
 * and crash recovery — if the runtime dies, requests get 503 until it is reloaded, with backoff.
 */
export class Variant {
  state: DeploymentState = 'loading';
  role: VariantStatus['role'] = 'primary';
  restarts = 0;
  lastError: string | undefined;
  private runtime: ModelRuntime | undefined;
  private readonly batcher: Batcher;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private signatureOverride: Partial<ModelSignature> | undefined;

  constructor(
    readonly version: string,
    private readonly load: LoadRuntime,
    batching: BatchingConfig,
    private readonly log: (msg: string) => void,
  ) {
    this.batcher = new Batcher((inputs) => this.predictNow(inputs), batching);
  }

  /** Loads and warms up the model; rejects if it cannot be loaded. */
  async start(signature?: Partial<ModelSignature>): Promise<void> {
    this.signatureOverride = signature;
    await this.boot();
  }

  get signature(): ModelSignature {
    const base = this.runtime?.signature ?? { inputs: [], outputs: [], source: 'model' as const };
    return { ...base, ...(this.signatureOverride ?? {}) } as ModelSignature;
  }

  get kind(): string {
    return this.runtime?.kind ?? 'unknown';
  }

  configure(batching: BatchingConfig): void {
    this.batcher.configure(batching);
  }

  infer(inputs: Tensor[]): Promise<BatchResult> {
    if (this.state !== 'ready') {
      return Promise.reject(new CairnError('TEMPORARILY_UNAVAILABLE', `Model version ${this.version} is ${this.state}${this.lastError ? ` (${this.lastError})` : ''}; retry shortly.`));
    }
    return this.batcher.submit(inputs);
  }

  get batchStats(): { batches: number; rows: number } {
    return this.batcher.stats;
  }

  status(): VariantStatus {
    return {
      version: this.version,
      role: this.role,
      state: this.state,
      runtime: this.kind,
      pid: this.runtime?.pid ?? process.pid,
      restarts: this.restarts,
      last_error: this.lastError,
      in_flight: this.batcher.running,
      queued: this.batcher.queued,
    };
  }

  /** Waits for queued and running requests to finish (the variant keeps serving them). */
  drained(): Promise<void> {
    return this.batcher.drained();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.state = 'stopped';
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.batcher.failQueued(new CairnError('TEMPORARILY_UNAVAILABLE', `Model version ${this.version} was undeployed.`));
    await this.runtime?.close().catch(() => {});
    this.runtime = undefined;
  }

  private async boot(): Promise<void> {
    const rt = await this.load();
    if (this.stopped) {
      await rt.close();
      return;
    }
    await warmUp(rt, this.signatureOverride?.inputs?.length ? this.signatureOverride : rt.signature);
    this.runtime = rt;
    rt.onExit((err) => this.crashed(rt, err));
    this.state = 'ready';
    this.lastError = undefined;
  }

  private async predictNow(inputs: Tensor[]): Promise<Tensor[]> {
    const rt = this.runtime;
    if (!rt || this.state !== 'ready') throw new CairnError('TEMPORARILY_UNAVAILABLE', `Model version ${this.version} is ${this.state}; retry shortly.`);
    try {
      return await rt.predict(inputs);
    } catch (err) {
      if (err instanceof RuntimeCrashed) throw new CairnError('TEMPORARILY_UNAVAILABLE', `Model version ${this.version} crashed (${err.message}); it is restarting, retry shortly.`);
      if (err instanceof ModelInputError) throw err;
      throw err;
    }
  }

  private crashed(rt: ModelRuntime, err: Error): void {
    if (this.stopped || this.runtime !== rt) return;
    this.runtime = undefined;
    this.state = 'restarting';
    this.lastError = err.message;
    this.log(`model version ${this.version} died: ${err.message}; restarting`);
    this.batcher.failQueued(new CairnError('TEMPORARILY_UNAVAILABLE', `Model version ${this.version} crashed; it is restarting, retry shortly.`));
    this.scheduleRestart(0);
  }

  private scheduleRestart(attempt: number): void {
    const delay = RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)]!;
    this.restartTimer = setTimeout(() => {
      this.restarts++;
      this.boot().then(
        () => this.log(`model version ${this.version} restarted`),
        (e: Error) => {
          this.lastError = e.message;
          if (!this.stopped) this.scheduleRestart(attempt + 1);
        },
      );
    }, delay);
  }
}

/** One prediction on a one-row batch of zeros, so the first real request does not pay for compilation. */
async function warmUp(rt: ModelRuntime, sig: Partial<ModelSignature>): Promise<void> {
  const inputs: Tensor[] = (sig.inputs ?? []).map((s) => {
    const shape = s.shape.map((d, i) => (i === 0 || d < 0 ? 1 : d));
    const n = shape.reduce((a, b) => a * b, 1);
    return { name: s.name, datatype: s.datatype, shape, data: new Array(n).fill(s.datatype === 'BYTES' ? '' : s.datatype === 'BOOL' ? false : 0) };
  });
  if (inputs.length === 0) return;
  // A model that never answers must not hang the deployment: it is found out by real requests.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([rt.predict(inputs).catch(() => {}), new Promise((r) => (timer = setTimeout(r, WARM_UP_TIMEOUT_MS)))]);
  clearTimeout(timer);
}
