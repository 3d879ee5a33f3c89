import type { BatchingConfig } from '../api/serving';
import { CairnError } from '../core/errors';
import { batchKey, concatBatch, rowsOf, splitBatch, type Tensor } from './tensor';

export type Predict = (inputs: Tensor[]) => Promise<Tensor[]>;

export interface BatchResult {
  outputs: Tensor[];
  /** Rows in the batch this request ran in. */
  batchRows: number;
}

interface Queued {
  inputs: Tensor[];
  rows: number;
  key: string;
  arrived: number;
  resolve: (r: BatchResult) => void;
  reject: (e: Error) => void;
}

/**
 * Adaptive batching (Triton's dynamic batcher): while the model is busy, requests queue; when it is
 * free, compatible queued requests (same input names, types and inner dims) are concatenated along
 * dim 0 up to `max_batch_size` rows and predicted at once, and each caller gets its own rows back.
 * `max_delay_ms` > 0 additionally holds a lone request that long for company. With batching off,
 * every request is its own predict call.
 */
export class Batcher {
  private readonly queue: Queued[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  readonly stats = { batches: 0, rows: 0 };

  constructor(
    private readonly predict: Predict,
    private config: BatchingConfig,
  ) {}

  configure(config: BatchingConfig): void {
    this.config = config;
  }

  get queued(): number {
    return this.queue.length;
  }

  get running(): number {
    return this.inFlight;
  }

  submit(inputs: Tensor[]): Promise<BatchResult> {
    if (this.queue.length >= this.config.max_queue) {
      return Promise.reject(new CairnError('TEMPORARILY_UNAVAILABLE', `The deployment's queue is full (${this.config.max_queue} requests waiting); retry later.`));
    }
    const rows = inputs.length ? rowsOf(inputs[0]!) : 0;
    return new Promise((resolve, reject) => {
      this.queue.push({ inputs, rows, key: batchKey(inputs), arrived: Date.now(), resolve, reject });
      this.pump();
    });
  }

  /** Fails everything still queued (the model died or the deployment is going away). */
  failQueued(err: Error): void {
    for (const q of this.queue.splice(0)) q.reject(err);
    this.notifyIdle();
  }

  /** Resolves when nothing is queued or running. */
  drained(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private pump(): void {
    if (!this.config.enabled) {
      while (this.queue.length) this.run([this.queue.shift()!]);
      return;
    }
    if (this.inFlight > 0 || this.queue.length === 0) return;
    const queuedRows = this.queue.reduce((n, q) => n + q.rows, 0);
    const waited = Date.now() - this.queue[0]!.arrived;
    if (queuedRows < this.config.max_batch_size && waited < this.config.max_delay_ms) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, this.config.max_delay_ms - waited);
      return;
    }
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.run(this.takeBatch());
  }

  /** The oldest request and the queued requests compatible with it, up to max_batch_size rows. */
  private takeBatch(): Queued[] {
    const first = this.queue.shift()!;
    const batch = [first];
    let rows = first.rows;
    for (let i = 0; i < this.queue.length && rows < this.config.max_batch_size; ) {
      const q = this.queue[i]!;
      if (q.key === first.key && rows + q.rows <= this.config.max_batch_size) {
        batch.push(q);
        rows += q.rows;
        this.queue.splice(i, 1);
      } else i++;
    }
    return batch;
  }

  private run(batch: Queued[]): void {
    this.inFlight++;
    const rows = batch.reduce((n, q) => n + q.rows, 0);
    this.stats.batches++;
    this.stats.rows += rows;
    let inputs: Tensor[];
    try {
      inputs = concatBatch(batch.map((q) => q.inputs));
    } catch (err) {
      this.finish(batch, undefined, err as Error);
      return;
    }
    this.predict(inputs).then(
      (outputs) => this.finish(batch, outputs, undefined),
      (err: Error) => this.finish(batch, undefined, err),
    );
  }

  private finish(batch: Queued[], outputs: Tensor[] | undefined, err: Error | undefined): void {
    this.inFlight--;
    const rows = batch.reduce((n, q) => n + q.rows, 0);
    if (outputs) {
      const bad = outputs.find((o) => rowsOf(o) !== rows);
      if (bad) err = new Error(`the model returned ${rowsOf(bad)} rows of '${bad.name}' for a batch of ${rows}`);
    }
    if (err) {
      // One bad request must not fail its batch-mates: retry each alone when a batch fails.
      if (batch.length > 1 && err.name === 'ModelInputError') for (const q of batch) this.run([q]);
      else for (const q of batch) q.reject(err);
    } else {
      const parts = splitBatch(outputs!, batch.map((q) => q.rows));
      batch.forEach((q, i) => q.resolve({ outputs: parts[i]!, batchRows: rows }));
    }
    this.pump();
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.queue.length === 0 && this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
  }
}
