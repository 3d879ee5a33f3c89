import { parseArgs } from 'node:util';
import { batchPredict } from '../../serving/batch/batch-predict';
import { loadIsolatedRuntime } from '../../serving/runtimes/load-runtime';
import { UsageError, type Command } from '../command';
import { localModel } from '../model-source';

export const predictCommand: Command = {
  name: 'predict',
  summary: 'Batch prediction: stream a CSV, JSON-lines or Parquet file through a model',
  usage: `cairn predict MODEL --input F.csv|F.jsonl|F.parquet --output F.csv|F.jsonl [--chunk-rows N]

  MODEL is NAME@ALIAS, NAME/VERSION or a model folder. Rows are read, predicted and written in
  chunks of --chunk-rows (default 1024), so memory stays bounded; progress goes to stderr. Each
  output row is the input row plus the model's outputs (and 'label' for classifiers whose
  signature names the classes).`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { input: { type: 'string' }, output: { type: 'string' }, 'chunk-rows': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) throw new UsageError('expected one MODEL');
    if (!values.input || !values.output) throw new UsageError('--input and --output are required');
    const chunkRows = values['chunk-rows'] ? Number(values['chunk-rows']) : 1024;
    if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new UsageError('--chunk-rows must be a positive integer');
    const model = await localModel(positionals[0]!);
    const rt = await loadIsolatedRuntime(model.dir);
    let last = 0;
    const started = Date.now();
    try {
      const res = await batchPredict(rt, { ...rt.signature, ...(model.signature?.columns ? { columns: model.signature.columns } : {}), ...(model.signature?.labels ? { labels: model.signature.labels } : {}) }, {
        input: values.input,
        output: values.output,
        chunkRows,
        progress: (rows) => {
          if (Date.now() - last < 500) return;
          last = Date.now();
          process.stderr.write(`\rpredict: ${rows.toLocaleString('en')} rows (${Math.round(rows / ((Date.now() - started) / 1000)).toLocaleString('en')} rows/s)`);
        },
      });
      process.stderr.write(`\rpredict: ${res.rows.toLocaleString('en')} rows in ${res.seconds.toFixed(2)} s (${Math.round(res.rows / res.seconds).toLocaleString('en')} rows/s) with ${model.label} → ${values.output}\n`);
      return 0;
    } finally {
      await rt.close();
      model.cleanup();
    }
  },
};
