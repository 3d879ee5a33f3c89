import type * as tfTypes from '@tensorflow/tfjs';
import type { ModelSignature, TensorDatatype, TensorSpec } from '../../api/registry';
import { type Tensor } from '../tensor';
import { signatureOfFolder } from '../../registry/signature';
import { readSignatureFile } from './model-folder';
import { ModelInputError, type ModelRuntime, type RuntimeKind } from './model-runtime';
import { initTf, type Tf } from './tfjs-backend';
import { folderLoadHandler } from './tfjs-files';

type LoadedModel = { kind: 'tfjs-layers'; model: tfTypes.LayersModel } | { kind: 'tfjs-graph'; model: tfTypes.GraphModel };

const TF_DTYPE: Record<TensorDatatype, tfTypes.DataType> = {
  BOOL: 'bool', UINT8: 'int32', UINT16: 'int32', UINT32: 'int32', UINT64: 'int32', INT8: 'int32', INT16: 'int32', INT32: 'int32', INT64: 'int32',
  FP16: 'float32', FP32: 'float32', FP64: 'float32', BYTES: 'string',
};
const OIP_DTYPE: Record<string, TensorDatatype> = { float32: 'FP32', int32: 'INT32', bool: 'BOOL', string: 'BYTES' };

/** A TF.js layers or graph model, predicting in the calling thread (the worker runtime wraps it). */
export class TfjsRuntime implements ModelRuntime {
  private constructor(
    private readonly tf: Tf,
    private readonly loaded: LoadedModel,
    readonly signature: ModelSignature,
  ) {}

  get kind(): RuntimeKind {
    return this.loaded.kind;
  }

  static async load(dir: string, kind: 'tfjs-layers' | 'tfjs-graph'): Promise<TfjsRuntime> {
    const { tf } = await initTf();
    const handler = folderLoadHandler(dir);
    const loaded: LoadedModel = kind === 'tfjs-graph' ? { kind, model: await tf.loadGraphModel(handler) } : { kind, model: await tf.loadLayersModel(handler) };
    const declared = fillShapes(signatureOf(loaded), signatureOfFolder(dir));
    const saved = readSignatureFile(dir);
    return new TfjsRuntime(tf, loaded, saved ? { ...declared, ...saved, inputs: saved.inputs?.length ? saved.inputs : declared.inputs, outputs: saved.outputs?.length ? saved.outputs : declared.outputs } : declared);
  }

  async predict(inputs: Tensor[]): Promise<Tensor[]> {
    const tf = this.tf;
    const specs = this.signature.inputs;
    const byName = new Map(inputs.map((t) => [t.name, t]));
    const ordered = specs.map((s, i) => byName.get(s.name) ?? (specs.length === 1 && inputs.length === 1 ? inputs[0] : undefined) ?? missing(s, i));
    const tensors = ordered.map((t) => {
      try {
        return tf.tensor(t.data as number[], t.shape, TF_DTYPE[t.datatype]);
      } catch (err) {
        throw new ModelInputError(`input '${t.name}': ${(err as Error).message}`);
      }
    });
    let outputs: tfTypes.Tensor[];
    try {
      if (this.loaded.kind === 'tfjs-layers') {
        const out = this.loaded.model.predict(tensors.length === 1 ? tensors[0]! : tensors);
        outputs = Array.isArray(out) ? out : [out];
      } else {
        const feed: Record<string, tfTypes.Tensor> = {};
        specs.forEach((s, i) => (feed[s.name] = tensors[i]!));
        const out = await this.loaded.model.executeAsync(feed, this.signature.outputs.map((o) => o.name));
        outputs = Array.isArray(out) ? out : [out];
      }
    } catch (err) {
      tensors.forEach((t) => t.dispose());
      throw new ModelInputError((err as Error).message);
    }
    const result = await Promise.all(
      outputs.map(async (o, i) => {
        const data = Array.from(await o.data()) as (number | string | boolean)[];
        return { name: this.signature.outputs[i]?.name ?? `output_${i}`, datatype: OIP_DTYPE[o.dtype] ?? 'FP32', shape: [...o.shape], data };
      }),
    );
    tensors.forEach((t) => t.dispose());
    outputs.forEach((t) => t.dispose());
    return result;
  }

  onExit(): void {
    // In-thread: it cannot die on its own.
  }

  async close(): Promise<void> {
    this.loaded.model.dispose();
  }
}

function missing(s: TensorSpec, i: number): never {
  throw new ModelInputError(`missing input ${i} '${s.name}' (${s.datatype} [${s.shape.join(', ')}])`);
}

const dims = (shape: readonly (number | null)[] | undefined): number[] => (shape ?? []).map((d) => (d === null || d === undefined || d < 0 ? -1 : d));

function signatureOf(loaded: LoadedModel): ModelSignature {
  if (loaded.kind === 'tfjs-layers') {
    const m = loaded.model;
    return {
      inputs: m.inputs.map((t, i) => ({ name: m.inputNames[i] ?? t.name, datatype: OIP_DTYPE[t.dtype] ?? 'FP32', shape: dims(t.shape) })),
      outputs: m.outputs.map((t, i) => ({ name: m.outputNames[i] ?? t.name, datatype: OIP_DTYPE[t.dtype] ?? 'FP32', shape: dims(t.shape) })),
      source: 'model',
    };
  }
  const m = loaded.model;
  const spec = (t: { name: string; dtype: string; shape?: number[] }): TensorSpec => ({ name: t.name, datatype: OIP_DTYPE[t.dtype] ?? 'FP32', shape: dims(t.shape) });
  return { inputs: m.inputs.map(spec), outputs: m.outputs.map(spec), source: 'model' };
}

/** Graph models often leave output shapes unknown; model.json's signature (if any) has them. */
function fillShapes(sig: ModelSignature, fromFiles: ModelSignature | undefined): ModelSignature {
  const fill = (list: TensorSpec[], other: TensorSpec[] | undefined) =>
    list.map((t, i) => (t.shape.length ? t : { ...t, shape: other?.find((o) => o.name === t.name || o.name === `${t.name}:0`)?.shape ?? other?.[i]?.shape ?? [-1] }));
  return { ...sig, inputs: fill(sig.inputs, fromFiles?.inputs), outputs: fill(sig.outputs, fromFiles?.outputs) };
}
