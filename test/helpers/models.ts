/**
 * Models for serving tests and benches, trained here on real data (vega-datasets' seattle-weather):
 * a TF.js classifier and a scikit-learn pickle (trained by Debian's /usr/bin/python3).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelSignature } from '../../backend/api/registry';
import { initTf } from '../../backend/serving/runtimes/tfjs-backend';
import { folderSaveHandler } from '../../backend/serving/runtimes/tfjs-files';
import { pythonExecutable } from '../../backend/serving/runtimes/process-runtime';

export const FEATURES = ['precipitation', 'temp_max', 'temp_min', 'wind'];
export const LABELS = ['drizzle', 'fog', 'rain', 'snow', 'sun'];

export interface WeatherRow {
  precipitation: number;
  temp_max: number;
  temp_min: number;
  wind: number;
  weather: string;
}

export function weatherCsvPath(): string {
  return vegaDataFile('seattle-weather.csv');
}

/** A data file of the vega-datasets devDependency (its `exports` hide the folder from require.resolve). */
export function vegaDataFile(name: string): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', 'vega-datasets', 'data', name);
    if (fs.existsSync(file)) return file;
    if (path.dirname(dir) === dir) throw new Error(`vega-datasets/data/${name} not found: the devDependency vega-datasets is missing (run npm ci)`);
  }
}

export function weatherRows(): WeatherRow[] {
  const [header, ...lines] = fs.readFileSync(weatherCsvPath(), 'utf8').trim().split('\n');
  const cols = header!.split(',');
  return lines.map((l) => {
    const v = l.split(',');
    const get = (c: string) => v[cols.indexOf(c)]!;
    return { precipitation: Number(get('precipitation')), temp_max: Number(get('temp_max')), temp_min: Number(get('temp_min')), wind: Number(get('wind')), weather: get('weather') };
  });
}

/** Trains a small dense TF.js classifier (4 features → 5 classes) and saves it with its signature. */
export async function trainWeatherTfjs(dir: string, opts: { epochs?: number; hidden?: number; layers?: number; seed?: number } = {}): Promise<{ accuracy: number }> {
  const { tf } = await initTf();
  const rows = weatherRows();
  const x = tf.tensor2d(rows.map((r) => FEATURES.map((f) => r[f as keyof WeatherRow] as number)));
  const y = tf.oneHot(tf.tensor1d(rows.map((r) => LABELS.indexOf(r.weather)), 'int32'), LABELS.length);
  const { mean, variance } = tf.moments(x, 0);
  const std = tf.sqrt(variance).add(1e-6);
  const seed = opts.seed ?? 42;
  const model = tf.sequential();
  // Normalisation is folded into the model so raw feature values can be sent to it.
  model.add(tf.layers.dense({ inputShape: [FEATURES.length], units: FEATURES.length, useBias: true, trainable: false, name: 'normalize',
    weights: [tf.diag(tf.div(1, std)), tf.neg(tf.div(mean, std))] }));
  for (let l = 0; l < (opts.layers ?? 1); l++) {
    model.add(tf.layers.dense({ units: opts.hidden ?? 32, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 10 * l }) }));
  }
  model.add(tf.layers.dense({ units: LABELS.length, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const h = await model.fit(x, y, { epochs: opts.epochs ?? 15, batchSize: 64, verbose: 0, shuffle: false });
  await model.save(folderSaveHandler(tf.io, dir));
  const signature: ModelSignature = {
    inputs: [{ name: model.inputNames[0]!, datatype: 'FP32', shape: [-1, FEATURES.length] }],
    outputs: [{ name: model.outputNames[0]!, datatype: 'FP32', shape: [-1, LABELS.length] }],
    columns: FEATURES,
    labels: LABELS,
    source: 'model',
  };
  fs.writeFileSync(path.join(dir, 'signature.json'), JSON.stringify(signature));
  const acc = h.history['acc'] ?? h.history['accuracy'] ?? [];
  tf.dispose([x, y, mean, variance, std]);
  model.dispose();
  return { accuracy: Number(acc[acc.length - 1] ?? 0) };
}

/** Trains a LogisticRegression with Debian's python3-sklearn and pickles it into `dir/model.pkl`. */
export function trainSklearnPickle(dir: string): { accuracy: number } {
  const python = pythonExecutable();
  const script = path.join(__dirname, '..', 'fixtures', 'train_sklearn.py');
  const r = spawnSync(python, [script, weatherCsvPath(), dir], { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run ${python} (install python3 and python3-sklearn): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`training the scikit-learn fixture failed (is python3-sklearn installed for ${python}?):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { accuracy: number };
}
