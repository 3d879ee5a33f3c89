import type { ModelSignature } from '../../api/registry';
import type { ModelRuntime } from '../runtimes/model-runtime';
import { tableToTensors, type Table } from '../protocols/table-input';
import { rowValue, rowWidth, type Tensor } from '../tensor';
import { readerFor } from './table-readers';
import { writerFor } from './table-writers';

export interface BatchPredictOptions {
  input: string;
  output: string;
  /** Rows per predict call (and the most rows held in memory at once). */
  chunkRows?: number;
  /** Called after each chunk with the rows done so far. */
  progress?: (rows: number) => void;
}

/**
 * Streams a table file through a model: read a chunk, predict it, append the rows with their
 * predictions to the output, repeat. Memory stays bounded by the chunk size.
 */
export async function batchPredict(rt: ModelRuntime, signature: ModelSignature, opts: BatchPredictOptions): Promise<{ rows: number; seconds: number }> {
  const started = performance.now();
  const chunkRows = opts.chunkRows ?? 1024;
  const writer = writerFor(opts.output);
  let rows = 0;
  try {
    for await (const table of readerFor(opts.input)(opts.input, chunkRows)) {
      const outputs = await rt.predict(tableToTensors(table, signature));
      await writer.write(outputRows(table, outputs, signature));
      rows += table.rows.length;
      opts.progress?.(rows);
    }
  } finally {
    await writer.close();
  }
  return { rows, seconds: (performance.now() - started) / 1000 };
}

/** Each input row with the model's outputs; a classifier's probabilities also give a `label`. */
export function outputRows(table: Table, outputs: Tensor[], sig: ModelSignature): Record<string, unknown>[] {
  const labels = sig.labels;
  return table.rows.map((row, i) => {
    const out: Record<string, unknown> = {};
    table.columns.forEach((c, k) => (out[c] = row[k]));
    for (const t of outputs) out[t.name] = rowValue(t, i);
    const probs = outputs.find((t) => labels && t.shape.length === 2 && rowWidth(t) === labels.length && t.name !== 'predictions');
    if (labels && probs && !outputs.some((t) => t.name === 'predictions')) {
      const p = rowValue(probs, i) as number[];
      out['label'] = labels[p.indexOf(Math.max(...p))];
    }
    return out;
  });
}
