import { parseArgs } from 'node:util';
import { exportTfjsBundle } from '../../serving/export/tfjs-bundle';
import { signatureOfFolder } from '../../registry/signature';
import { UsageError, type Command } from '../command';
import { localModel } from '../model-source';

export const exportCommand: Command = {
  name: 'export',
  summary: 'Edge export: a folder that predicts in a browser or Node without Cairn',
  usage: `cairn export MODEL --format tfjs-bundle --out DIR

  MODEL is NAME@ALIAS, NAME/VERSION or a TF.js model folder. DIR gets the model, its signature,
  TF.js with the wasm backend, cairn-model.js (require() it in Node, or <script> it in a page) and
  index.html, a demo page.`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { format: { type: 'string' }, out: { type: 'string' } }, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('expected one MODEL');
    if (values.format !== 'tfjs-bundle') throw new UsageError(`--format must be tfjs-bundle${values.format ? `, got '${values.format}'` : ''}`);
    if (!values.out) throw new UsageError('--out DIR is required');
    const model = await localModel(positionals[0]!);
    try {
      const declared = signatureOfFolder(model.dir);
      const signature = declared ? { ...declared, ...(model.signature ?? {}) } : undefined;
      const { files } = exportTfjsBundle(model.dir, values.out, signature as typeof declared);
      process.stdout.write(`exported ${model.label} to ${values.out}: ${files.join(', ')}\n`);
      return 0;
    } finally {
      model.cleanup();
    }
  },
};
