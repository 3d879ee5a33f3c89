/**
 * Classifies Seattle's daily weather (drizzle, fog, rain, snow, sun) from precipitation,
 * temperatures, wind and month with a small TF.js network on the WebAssembly backend. Trains on
 * 2012–2013, validates on 2014, tests on 2015; logs per-epoch metrics with the Cairn SDK's
 * `model.fit` callback and saves the model folder (model.json + weights.bin).
 *
 *   npx cairn run -- node --import tsx examples/weather-tfjs/train.ts --epochs 30 --lr 0.01 --hidden 16 --seed 1
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as cairn from '../../sdk/js';
import { CLASSES, loadSeattleWeather, seededRandom, standardizer } from './data';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '30' },
    lr: { type: 'string', default: '0.01' },
    hidden: { type: 'string', default: '16' },
    'batch-size': { type: 'string', default: '32' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: path.join(__dirname, 'out', 'model') },
    data: { type: 'string' },
  },
});
const hp = { epochs: Number(values.epochs), lr: Number(values.lr), hidden: Number(values.hidden), batchSize: Number(values['batch-size']), seed: Number(values.seed) };
for (const [k, v] of Object.entries(hp)) if (!Number.isFinite(v) || v <= 0) throw new Error(`--${k} must be a positive number, got ${v}`);

async function useWasm(): Promise<void> {
  // The .wasm files ship in the package's dist/ folder; without them setBackend quietly returns false.
  setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
  const ok = await tf.setBackend('wasm');
  if (!ok || tf.getBackend() !== 'wasm') throw new Error(`the TF.js wasm backend did not start (backend: ${tf.getBackend()})`);
}

function tensors(split: { x: number[][]; y: number[] }, scale: (r: number[]) => number[]) {
  return { x: tf.tensor2d(split.x.map(scale)), y: tf.oneHot(tf.tensor1d(split.y, 'int32'), CLASSES.length).toFloat() };
}

async function main(): Promise<void> {
  await useWasm();
  const run = await cairn.startRun({ experiment: 'weather-tfjs' });
  // The values as typed, so they match what `cairn run` read from the same command line.
  run.logParams({ epochs: values.epochs, lr: values.lr, hidden: values.hidden, 'batch-size': values['batch-size'], seed: values.seed, backend: tf.getBackend(), features: 'precipitation,temp_max,temp_min,wind,month' });
  const { train, val, test } = loadSeattleWeather(values.data);
  // A seeded shuffle once, and none inside fit (TF.js shuffles with Math.random).
  const rnd = seededRandom(hp.seed);
  const order = train.x.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const shuffled = { x: order.map((i) => train.x[i]!), y: order.map((i) => train.y[i]!) };
  const scale = standardizer(train.x);
  const t = tensors(shuffled, scale);
  const v = tensors(val, scale);
  const te = tensors(test, scale);

  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [t.x.shape[1]], units: hp.hidden, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: hp.seed }) }),
      tf.layers.dense({ units: CLASSES.length, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: hp.seed + 1 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(hp.lr), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  console.log(`training on ${train.x.length} days (2012-2013), validating on ${val.x.length} (2014), testing on ${test.x.length} (2015)`);
  await model.fit(t.x, t.y, {
    epochs: hp.epochs,
    batchSize: hp.batchSize,
    shuffle: false,
    validationData: [v.x, v.y],
    verbose: 0,
    callbacks: [
      run.tfjsCallback(),
      {
        onEpochEnd: async (epoch: number, logs?: tf.Logs) => {
          // Human-readable progress (the metrics themselves go through the callback above).
          if (epoch % 5 === 4 || epoch === hp.epochs - 1) console.log(`epoch ${epoch + 1} of ${hp.epochs}: train accuracy ${logs!['acc']!.toFixed(3)}, validation accuracy ${logs!['val_acc']!.toFixed(3)}`);
        },
      },
    ],
  });
  const [testLoss, testAcc] = (model.evaluate(te.x, te.y) as tf.Scalar[]).map((s) => s.dataSync()[0]!);
  run.logMetrics({ test_loss: testLoss!, test_accuracy: testAcc! });
  console.log(`test (2015) accuracy ${testAcc!.toFixed(4)}, loss ${testLoss!.toFixed(4)}`);
  await model.save(cairn.saveToFolder(values.out!));
  run.logModel(values.out!, 'tfjs');
  console.log(`model saved to ${path.relative(process.cwd(), values.out!) || '.'}`);
  await run.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
