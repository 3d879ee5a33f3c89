import type { InferSignatureRequest, ModelSignature } from '../api/registry';
import { invalidParam } from '../core/errors';
import { tableToTensors } from '../serving/protocols/table-input';
import type { ModelRuntime } from '../serving/runtimes/model-runtime';
import { columnsOfSample, datatypeOfValues } from './signature';

/**
 * Infers a signature from a sample: its columns (names and value types) become the model's input
 * columns, and running the model on it gives the outputs' shapes and types.
 */
export async function inferSignatureFromSample(rt: ModelRuntime, req: InferSignatureRequest): Promise<ModelSignature> {
  const { columns, rows } = columnsOfSample(req.sample);
  const declared = rt.signature;
  if (declared.inputs.length === 0) throw invalidParam('The model declares no inputs; cannot map the sample onto it.');
  const base: ModelSignature = declared.inputs.length === 1 && declared.inputs[0]!.shape.length === 2 ? { ...declared, columns } : declared;
  let outputs;
  try {
    outputs = await rt.predict(tableToTensors({ columns, rows }, base));
  } catch (err) {
    throw invalidParam(`The model could not predict the sample: ${(err as Error).message}`);
  }
  const inputs = base.inputs.map((s) => (base.columns ? { ...s, datatype: s.datatype ?? datatypeOfValues(rows.flat()) } : s));
  return {
    inputs,
    outputs: outputs.map((o) => ({ name: o.name, datatype: o.datatype, shape: [-1, ...o.shape.slice(1)] })),
    ...(base.columns ? { columns: base.columns } : {}),
    ...(req.labels ? { labels: req.labels } : declared.labels ? { labels: declared.labels } : {}),
    source: 'sample',
  };
}
