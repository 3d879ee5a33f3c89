import * as fs from 'node:fs';
import * as path from 'node:path';
import { before } from 'node:test';
import { ProcessRuntime } from '../../backend/serving/runtimes/process-runtime';
import { TfjsRuntime } from '../../backend/serving/runtimes/tfjs-runtime';
import { WorkerRuntime } from '../../backend/serving/runtimes/worker-runtime';
import type { Tensor } from '../../backend/serving/tensor';
import { modelRuntimeConformance } from '../conformance/model-runtime.conformance';
import { tmpDir } from '../helpers/tmp';
import { trainSklearnPickle, trainWeatherTfjs, weatherRows } from '../helpers/models';
import { writeGraphModel } from '../helpers/graph-model';

const root = tmpDir();
const tfjsDir = path.join(root, 'tfjs');
const sklearnDir = path.join(root, 'sklearn');
const echoDir = path.join(root, 'echo');
const graphDir = path.join(root, 'graph');

before(async () => {
  await trainWeatherTfjs(tfjsDir, { epochs: 3 });
  trainSklearnPickle(sklearnDir);
  writeGraphModel(graphDir);
  // A process model in Node: doubles its input, refuses anything not 2 wide.
  fs.mkdirSync(echoDir, { recursive: true });
  fs.writeFileSync(path.join(echoDir, 'cairn-model.yaml'), `command: ["${process.execPath}", "./double.js"]\n`);
  fs.writeFileSync(
    path.join(echoDir, 'double.js'),
    `const rl = require('readline').createInterface({ input: process.stdin });
console.log(JSON.stringify({ ready: true, signature: { inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }], outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 2] }] } }));
rl.on('line', (l) => { const r = JSON.parse(l); const x = r.inputs[0];
  if (x.shape[1] !== 2) return console.log(JSON.stringify({ id: r.id, error: 'expected [rows, 2], got [' + x.shape + ']', input_error: true }));
  console.log(JSON.stringify({ id: r.id, outputs: [{ name: 'y', datatype: 'FP32', shape: x.shape, data: x.data.map((v) => v * 2) }] })); });\n`,
  );
});

const rows = weatherRows();
const features = (n: number, width = 4): Tensor => {
  const data: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = rows[(i * 37) % rows.length]!;
    data.push(...[r.precipitation, r.temp_max, r.temp_min, r.wind].slice(0, width));
  }
  return { name: 'input', datatype: 'FP32', shape: [n, width], data };
};
const kill = (rt: { pid?: number }) => process.kill(rt.pid!, 'SIGKILL');

modelRuntimeConformance('TF.js layers model, in process', {
  load: () => TfjsRuntime.load(tfjsDir, 'tfjs-layers'),
  batch: (n) => [features(n)],
  badBatch: () => [features(2, 3)],
});

modelRuntimeConformance('TF.js layers model, in a worker thread', {
  load: () => WorkerRuntime.load(tfjsDir, 'tfjs-layers'),
  batch: (n) => [features(n)],
  badBatch: () => [features(2, 3)],
});

modelRuntimeConformance('TF.js graph model, in a worker thread', {
  load: () => WorkerRuntime.load(graphDir, 'tfjs-graph'),
  batch: (n) => [features(n)],
  badBatch: () => [features(2, 3)],
});

modelRuntimeConformance('scikit-learn pickle, in a Python process', {
  load: () => ProcessRuntime.loadSklearn(sklearnDir),
  batch: (n) => [features(n)],
  badBatch: () => [features(2, 3)],
  crash: kill,
});

modelRuntimeConformance('cairn-model.yaml JSON-lines command', {
  load: () => ProcessRuntime.load(echoDir),
  batch: (n) => [{ name: 'x', datatype: 'FP32', shape: [n, 2], data: Array.from({ length: n * 2 }, (_, i) => i) }],
  badBatch: () => [{ name: 'x', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }],
  crash: kill,
});
