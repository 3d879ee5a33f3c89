// A real, small model for the extension-host suites: a linear model fitted here by least squares,
// logged as a run's `model/` folder that serving runs as a Node process (cairn-model.yaml,
// JSON-lines protocol) with the signature columns x0, x1.
import type { RunInfo } from '../../../backend/api/mlflow';
import type { CairnClient } from '../../../backend/client/cairn-client';

export type LinearFit = { w: number[]; b: number };

/** Least squares of y on (x0, x1) with an intercept, by the normal equations (3×3, Cramer's rule). */
export function fitLinear(xs: number[][], ys: number[]): LinearFit {
  const rows = xs.map((x) => [x[0]!, x[1]!, 1]);
  const a = [0, 1, 2].map((i) => [0, 1, 2].map((j) => rows.reduce((s, r) => s + r[i]! * r[j]!, 0)));
  const v = [0, 1, 2].map((i) => rows.reduce((s, r, k) => s + r[i]! * ys[k]!, 0));
  const det = (m: number[][]) => m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) - m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) + m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
  const d = det(a);
  const coef = [0, 1, 2].map((c) => det(a.map((row, i) => row.map((x, j) => (j === c ? v[i]! : x)))) / d);
  return { w: [coef[0]!, coef[1]!], b: coef[2]! };
}

/** Noisy samples of y = slope·(2 x0 − x1) + 1, x uniform in [0, 10)² (plus `shift`), from a seeded generator. */
export function linearData(seed: number, slope: number, n = 200, shift = 0): { xs: number[][]; ys: number[] } {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const xs = Array.from({ length: n }, () => [rnd() * 10 + shift, rnd() * 10 + shift]);
  return { xs, ys: xs.map(([a, b]) => slope * (2 * a! - b!) + 1 + (rnd() - 0.5) * 0.1) };
}

export const linearPredict = (fit: LinearFit, rows: number[][]): number[] => rows.map((x) => fit.w[0]! * x[0]! + fit.w[1]! * x[1]! + fit.b);

const PREDICT = `const fs = require('fs');
const { w, b } = JSON.parse(fs.readFileSync('weights.json', 'utf8'));
const rl = require('readline').createInterface({ input: process.stdin });
console.log(JSON.stringify({ ready: true, signature: { inputs: [{ name: 'x', datatype: 'FP64', shape: [-1, 2] }], outputs: [{ name: 'y', datatype: 'FP64', shape: [-1] }], columns: ['x0', 'x1'] } }));
rl.on('line', (l) => {
  const r = JSON.parse(l); const x = r.inputs[0];
  if (x.shape[1] !== 2) return console.log(JSON.stringify({ id: r.id, error: 'expected [rows, 2], got [' + x.shape + ']', input_error: true }));
  const y = []; for (let i = 0; i < x.shape[0]; i++) y.push(w[0] * x.data[2 * i] + w[1] * x.data[2 * i + 1] + b);
  console.log(JSON.stringify({ id: r.id, outputs: [{ name: 'y', datatype: 'FP64', shape: [y.length], data: y }] }));
});
`;

/** Logs the fitted model as the run's `model/` folder (what a training script does). */
export async function uploadLinearModel(c: CairnClient, run: RunInfo, fit: LinearFit): Promise<void> {
  await c.uploadArtifact(run, 'model/cairn-model.yaml', `command: [${JSON.stringify(process.execPath)}, "./predict.js"]\n`);
  await c.uploadArtifact(run, 'model/predict.js', PREDICT);
  await c.uploadArtifact(run, 'model/weights.json', JSON.stringify(fit));
}
