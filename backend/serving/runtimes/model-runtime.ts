import type { ModelSignature } from '../../api/registry';
import type { Tensor } from '../tensor';

/** What a model folder holds, as far as serving is concerned. */
export type RuntimeKind = 'tfjs-layers' | 'tfjs-graph' | 'process' | 'sklearn';

/**
 * A loaded model that predicts batches. Every runtime (TF.js in-process, TF.js in a worker thread,
 * a JSON-lines model process) implements it and passes `test/conformance/model-runtime.conformance.ts`.
 */
export interface ModelRuntime {
  readonly kind: RuntimeKind;
  /** Inputs and outputs as the model declares them (batch dim -1). */
  readonly signature: ModelSignature;
  /** The OS process running the model, when it is not the backend itself. */
  readonly pid?: number;
  /** Predicts a batch: inputs and outputs share dim 0. Rejects with RuntimeCrashed if the model died. */
  predict(inputs: Tensor[]): Promise<Tensor[]>;
  /** Called once if the model's thread or process dies on its own. */
  onExit(listener: (err: Error) => void): void;
  close(): Promise<void>;
}

/** The model's thread or process died; the request may be retried once it restarts. */
export class RuntimeCrashed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeCrashed';
  }
}

/** The model refused the input (wrong shape, type…): the caller's mistake, a 400. */
export class ModelInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelInputError';
  }
}
