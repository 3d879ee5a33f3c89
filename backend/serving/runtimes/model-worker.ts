// Entry of the worker thread that hosts one TF.js model (bundled as dist/model-worker.js).
import { parentPort, workerData } from 'node:worker_threads';
import type { Tensor } from '../tensor';
import { ModelInputError } from './model-runtime';
import { TfjsRuntime } from './tfjs-runtime';

export type WorkerRequest = { type: 'predict'; id: number; inputs: Tensor[] };
export type WorkerReply =
  | { type: 'ready'; signature: TfjsRuntime['signature']; kind: TfjsRuntime['kind'] }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; outputs: Tensor[] }
  | { type: 'error'; id: number; message: string; input: boolean };

const port = parentPort!;
const { dir, kind } = workerData as { dir: string; kind: 'tfjs-layers' | 'tfjs-graph' };
const post = (m: WorkerReply) => port.postMessage(m);

TfjsRuntime.load(dir, kind).then(
  (rt) => {
    port.on('message', (msg: WorkerRequest) => {
      rt.predict(msg.inputs).then(
        (outputs) => post({ type: 'result', id: msg.id, outputs }),
        (err: Error) => post({ type: 'error', id: msg.id, message: err.message, input: err instanceof ModelInputError }),
      );
    });
    post({ type: 'ready', signature: rt.signature, kind: rt.kind });
  },
  (err: Error) => post({ type: 'failed', message: err.message }),
);
