import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { insideFolder } from './model-folder';

type Io = typeof tfTypes.io;

/** A TF.js IOHandler reading `model.json` and its weight files from a folder (no tfjs-node needed). */
export function folderLoadHandler(dir: string): tfTypes.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as tfTypes.io.ModelJSON;
      const specs: tfTypes.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of json.weightsManifest ?? []) {
        specs.push(...group.weights);
        for (const p of group.paths) buffers.push(fs.readFileSync(insideFolder(dir, p)));
      }
      const all = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        signature: json.signature,
        userDefinedMetadata: json.userDefinedMetadata,
        modelInitializer: json.modelInitializer,
        trainingConfig: json.trainingConfig,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

/** A save handler writing `model.json` + `weights.bin` into a folder (what `model.save('file://…')` does in tfjs-node). */
export function folderSaveHandler(io: Io, dir: string): tfTypes.io.IOHandler {
  return io.withSaveHandler(async (artifacts) => {
    fs.mkdirSync(dir, { recursive: true });
    const weights = artifacts.weightData ? Buffer.from(io.CompositeArrayBuffer.join(artifacts.weightData)) : Buffer.alloc(0);
    fs.writeFileSync(path.join(dir, 'weights.bin'), weights);
    const json: tfTypes.io.ModelJSON = {
      modelTopology: artifacts.modelTopology as tfTypes.io.ModelJSON['modelTopology'],
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
      ...(artifacts.signature ? { signature: artifacts.signature } : {}),
      ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
    };
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.length } };
  });
}
