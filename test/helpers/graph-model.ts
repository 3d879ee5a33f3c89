import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a TF.js graph model by hand (what tensorflowjs_converter produces from a SavedModel):
 * y = softmax(x · W) with x [-1, 4] and W [4, 3], so tests cover graph models without Python TF.
 */
export function writeGraphModel(dir: string): { weights: number[][] } {
  const weights = [
    [0.5, -0.2, 0.1],
    [0.3, 0.8, -0.5],
    [-0.7, 0.2, 0.9],
    [0.1, 0.1, 0.1],
  ];
  const dims = (...d: number[]) => ({ dim: d.map((size) => ({ size: String(size) })) });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'w.bin'), Buffer.from(new Float32Array(weights.flat()).buffer));
  fs.writeFileSync(
    path.join(dir, 'model.json'),
    JSON.stringify({
      format: 'graph-model',
      generatedBy: 'cairn-test',
      convertedBy: 'hand',
      modelTopology: {
        node: [
          { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: dims(-1, 4) } } },
          { name: 'W', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dims(4, 3) } } } },
          { name: 'MatMul', op: 'MatMul', input: ['x', 'W'], attr: { T: { type: 'DT_FLOAT' }, transpose_a: { b: false }, transpose_b: { b: false } } },
          { name: 'y', op: 'Softmax', input: ['MatMul'], attr: { T: { type: 'DT_FLOAT' } } },
        ],
        versions: { producer: 1 },
      },
      weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'W', shape: [4, 3], dtype: 'float32' }] }],
      signature: {
        inputs: { x: { name: 'x:0', dtype: 'DT_FLOAT', tensorShape: dims(-1, 4) } },
        outputs: { y: { name: 'y:0', dtype: 'DT_FLOAT', tensorShape: dims(-1, 3) } },
      },
    }),
  );
  return { weights };
}
