import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ModelSignature } from '../../api/registry';
import type { Tensor } from '../tensor';
import { ModelInputError, RuntimeCrashed, type ModelRuntime, type RuntimeKind } from './model-runtime';
import type { WorkerReply, WorkerRequest } from './model-worker';

type Pending = { resolve: (t: Tensor[]) => void; reject: (e: Error) => void };

/** A TF.js model in its own worker thread: a crash or a stuck predict never blocks the backend. */
export class WorkerRuntime implements ModelRuntime {
  private readonly pending = new Map<number, Pending>();
  private readonly exitListeners: ((err: Error) => void)[] = [];
  private nextId = 1;
  private closing = false;

  private constructor(
    private readonly worker: Worker,
    readonly kind: RuntimeKind,
    readonly signature: ModelSignature,
  ) {
    worker.on('message', (m: WorkerReply) => this.onReply(m));
    worker.on('error', (err) => this.die(new RuntimeCrashed(`model worker failed: ${err.message}`)));
    worker.on('exit', (code) => this.die(new RuntimeCrashed(`model worker exited with code ${code}`)));
  }

  static load(dir: string, kind: 'tfjs-layers' | 'tfjs-graph'): Promise<WorkerRuntime> {
    const script = workerScript();
    const worker = new Worker(script.code, { eval: script.eval, workerData: { dir, kind } });
    return new Promise((resolve, reject) => {
      const fail = (err: Error) => {
        worker.terminate().catch(() => {});
        reject(err);
      };
      const onMessage = (m: WorkerReply) => {
        if (m.type === 'ready') {
          cleanup();
          resolve(new WorkerRuntime(worker, m.kind, m.signature));
        } else if (m.type === 'failed') {
          cleanup();
          fail(new Error(`cannot load the TF.js model in ${dir}: ${m.message}`));
        }
      };
      const onError = (err: Error) => {
        cleanup();
        fail(new Error(`the model worker failed while loading ${dir}: ${err.message}`));
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(`the model worker exited with code ${code} while loading ${dir}`));
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
  }

  predict(inputs: Tensor[]): Promise<Tensor[]> {
    if (this.closing) return Promise.reject(new RuntimeCrashed('the model is shutting down'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'predict', id, inputs } satisfies WorkerRequest);
    });
  }

  onExit(listener: (err: Error) => void): void {
    this.exitListeners.push(listener);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
  }

  private onReply(m: WorkerReply): void {
    if (m.type !== 'result' && m.type !== 'error') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.type === 'result') p.resolve(m.outputs);
    else p.reject(m.input ? new ModelInputError(m.message) : new Error(m.message));
  }

  private die(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    if (this.closing) return;
    this.closing = true;
    for (const l of this.exitListeners.splice(0)) l(err);
  }
}

/** dist/model-worker.js next to the bundle; from sources (tests), the .ts file through tsx's require hook. */
function workerScript(): { code: string; eval: boolean } {
  const bundled = path.join(__dirname, 'model-worker.js');
  if (fs.existsSync(bundled)) return { code: bundled, eval: false };
  return { code: `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'model-worker.ts'))});`, eval: true };
}
