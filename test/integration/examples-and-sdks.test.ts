import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Run } from '../../backend/api/mlflow';
import { RUN_ARTIFACTS, RUN_TAGS, type ModelCandidate } from '../../backend/api/run-record';
import { decodeDouble } from '../../backend/client/cairn-client';
import { CLASSES, loadSeattleWeather, standardizer } from '../../examples/weather-tfjs/data';
import { loadFromFolder } from '../../sdk/js';
import { cairnRun, PYTHON, runIdOf, TSX_LOADER } from '../helpers/cairn-run';
import { ROOT, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

const dir = tmpDir();
let server: ServerProcess;
let env: Record<string, string>;

const tag = (run: Run, key: string) => run.data.tags.find((t) => t.key === key)?.value;
const params = (run: Run) => Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
const steps = async (runId: string, key: string) => (await server.client.metricHistory(runId, key)).map((m) => m.step);
const latest = (run: Run, key: string) => {
  const m = run.data.metrics.find((x) => x.key === key);
  return m === undefined ? undefined : decodeDouble(m.value);
};
const candidates = (run: Run) => (JSON.parse(tag(run, RUN_TAGS.modelCandidates) ?? '[]') as ModelCandidate[]).sort((a, b) => a.path.localeCompare(b.path));

function workspace(name: string): string {
  const ws = path.join(dir, name);
  fs.mkdirSync(path.join(ws, '.cairn'), { recursive: true });
  return ws;
}

before(async () => {
  server = await startServerProcess(path.join(dir, 'store'));
  env = { CAIRN_TRACKING_URI: server.url, CAIRN_TOKEN: server.token };
});

describe('examples under cairn run', () => {
  it('weather-sklearn: metrics printed by an unmodified script, its params, and its pickle as a model candidate', async () => {
    const ws = workspace('sklearn');
    const script = path.join(ROOT, 'examples/weather-sklearn/train.py');
    const r = await cairnRun(['--experiment', 'weather-sklearn', '--watch', 'out', '--', PYTHON, script, '--n-estimators', '20', '--learning-rate=0.2', '--seed', '3', '--out', 'out'], { cwd: ws, env }).done;
    assert.equal(r.code, 0, r.stderr);
    const run = await server.client.getRun(runIdOf(r.stderr));
    assert.equal(run.info.status, 'FINISHED');
    assert.deepEqual(params(run), { 'n-estimators': '20', 'learning-rate': '0.2', seed: '3', out: 'out' });
    assert.deepEqual(await steps(run.info.run_id, 'val_accuracy'), [10, 20]);
    assert.deepEqual(await steps(run.info.run_id, 'train_loss'), [10, 20]);
    const acc = latest(run, 'test_accuracy')!;
    assert.ok(acc > 0.6 && acc <= 1, `test accuracy ${acc}`);
    assert.ok(latest(run, 'test_f1_macro')! > 0);
    assert.deepEqual(candidates(run), [{ path: 'outputs/out/model.pkl', flavor: 'pickle' }]);
    const freeze = Buffer.from(await server.client.getArtifact(run.info, RUN_ARTIFACTS.pipFreeze)).toString();
    assert.match(freeze, /^scikit-learn==/m, 'pip freeze of the interpreter the command used');
  });

  it('weather-tfjs: per-epoch metrics from the SDK callback on the wasm backend, and a saved model that predicts the same', async () => {
    const ws = workspace('tfjs');
    const script = path.join(ROOT, 'examples/weather-tfjs/train.ts');
    const r = await cairnRun(['--experiment', 'weather-tfjs', '--', process.execPath, '--import', TSX_LOADER, script, '--epochs', '3', '--hidden', '8', '--seed', '5', '--out', 'out/model'], { cwd: ws, env }).done;
    assert.equal(r.code, 0, r.stderr);
    const run = await server.client.getRun(runIdOf(r.stderr));
    assert.equal(run.info.status, 'FINISHED');
    assert.equal(params(run)['backend'], 'wasm');
    assert.equal(params(run)['epochs'], '3');
    for (const key of ['loss', 'acc', 'val_loss', 'val_acc']) assert.deepEqual(await steps(run.info.run_id, key), [0, 1, 2], key);
    assert.deepEqual(candidates(run), [
      { path: 'models/model', flavor: 'tfjs' },
      { path: 'outputs/out/model', flavor: 'tfjs' },
    ]);
    const files = (await server.client.listArtifactDir(run.info, 'models/model')).map((f) => f.path).sort();
    assert.deepEqual(files, ['model.json', 'weights.bin']);

    // The saved folder loads back and scores the test year exactly as logged.
    setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
    assert.equal(await tf.setBackend('wasm'), true, 'the wasm backend must start (its .wasm files ship in the package)');
    const model = await tf.loadLayersModel(loadFromFolder(path.join(ws, 'out/model')));
    const { train, test } = loadSeattleWeather();
    const scale = standardizer(train.x);
    const pred = (model.predict(tf.tensor2d(test.x.map(scale))) as tf.Tensor).argMax(1).dataSync();
    const accuracy = test.y.filter((y, i) => pred[i] === y).length / test.y.length;
    assert.ok(Math.abs(accuracy - latest(run, 'test_accuracy')!) < 1e-6, `reloaded ${accuracy} vs logged ${latest(run, 'test_accuracy')}`);
    assert.equal(model.outputs[0]!.shape[1], CLASSES.length);
  });
});

describe('examples are deterministic for a given seed', () => {
  it('gives byte-identical models and the same printed metrics on two runs with the same seed', async () => {
    const ws = workspace('determinism');
    const runs = [];
    for (const n of [1, 2]) {
      const sk = await cairnRunless([PYTHON, path.join(ROOT, 'examples/weather-sklearn/train.py'), '--n-estimators', '10', '--seed', '4', '--out', `sk${n}`], ws);
      const tj = await cairnRunless([process.execPath, '--import', TSX_LOADER, path.join(ROOT, 'examples/weather-tfjs/train.ts'), '--epochs', '2', '--hidden', '4', '--seed', '4', '--out', `tf${n}`], ws);
      runs.push({ sk: sk.replace(/sk\d/g, ''), tj: tj.replace(/tf\d/g, '') });
    }
    assert.equal(runs[0]!.sk, runs[1]!.sk);
    assert.equal(runs[0]!.tj, runs[1]!.tj);
    assert.ok(fs.readFileSync(path.join(ws, 'sk1/model.pkl')).equals(fs.readFileSync(path.join(ws, 'sk2/model.pkl'))));
    assert.ok(fs.readFileSync(path.join(ws, 'tf1/weights.bin')).equals(fs.readFileSync(path.join(ws, 'tf2/weights.bin'))));
    const other = await cairnRunless([PYTHON, path.join(ROOT, 'examples/weather-sklearn/train.py'), '--n-estimators', '10', '--seed', '5', '--out', 'sk3'], ws);
    assert.notEqual(other.replace(/sk\d/g, ''), runs[0]!.sk, 'another seed gives another model');
  });
});

describe('SDKs', () => {
  it('JS SDK without cairn run: creates a run, batches over 1000 metrics, logs params, tags, artifacts and a model', async () => {
    const ws = workspace('sdk-js');
    fs.mkdirSync(path.join(ws, 'ckpt'));
    fs.writeFileSync(path.join(ws, 'ckpt', 'a.txt'), 'A');
    fs.writeFileSync(path.join(ws, 'clf.onnx'), 'onnx');
    const script = path.join(ws, 'train.ts');
    fs.writeFileSync(
      script,
      `import * as cairn from ${JSON.stringify(path.join(ROOT, 'sdk/js'))};
(async () => {
  const run = await cairn.startRun({ experiment: 'sdk-js', runName: 'js-run' });
  run.logParams({ lr: 0.01, layers: [8, 4] });
  for (let i = 0; i < 2500; i++) run.logMetric('loss', 1 / (i + 1));
  run.logMetrics({ acc: 0.9, nan: NaN }, 7);
  run.setTag('team', 'vision');
  run.logArtifact('ckpt', 'checkpoints');
  run.logModel('clf.onnx', 'onnx');
  console.log('RUN', run.runId);
  await run.end();
})();
`,
    );
    const r = await cairnRunless([process.execPath, '--import', TSX_LOADER, script], ws);
    const runId = /RUN (\w+)/.exec(r)![1]!;
    const run = await server.client.getRun(runId);
    assert.equal(run.info.status, 'FINISHED');
    assert.equal(run.info.run_name, 'js-run');
    assert.equal(tag(run, RUN_TAGS.launcher), 'sdk-js');
    assert.equal(tag(run, 'team'), 'vision');
    assert.deepEqual(params(run), { lr: '0.01', layers: '[8,4]' });
    const loss = await server.client.metricHistory(runId, 'loss');
    assert.equal(loss.length, 2500);
    assert.deepEqual(loss.slice(0, 3).map((m) => m.step), [0, 1, 2]);
    assert.ok(Number.isNaN(latest(run, 'nan')!));
    assert.deepEqual(candidates(run), [{ path: 'models/clf.onnx', flavor: 'onnx' }]);
    assert.equal(Buffer.from(await server.client.getArtifact(run.info, 'checkpoints/ckpt/a.txt')).toString(), 'A');
  });

  it('Python SDK without cairn run: creates a run and records FAILED when the script raises', async () => {
    const ws = workspace('sdk-py');
    fs.writeFileSync(
      path.join(ws, 'train.py'),
      `import sys\nsys.path.insert(0, ${JSON.stringify(path.join(ROOT, 'sdk/python'))})\nimport cairn\ncairn.start_run(experiment="sdk-py", run_name="py-sdk")\ncairn.log_params({"lr": 0.1})\nfor i in range(1500): cairn.log_metric("loss", 1 / (i + 1))\ncairn.log_metrics({"acc": 0.5, "inf": float("inf")}, step=3)\nprint("RUN", cairn.active_run_id(), flush=True)\nraise RuntimeError("diverged")\n`,
    );
    const out = await cairnRunless([PYTHON, 'train.py'], ws, 1);
    const runId = /RUN (\w+)/.exec(out)![1]!;
    const run = await server.client.getRun(runId);
    assert.equal(run.info.status, 'FAILED');
    assert.equal(tag(run, RUN_TAGS.launcher), 'sdk-python');
    assert.equal((await server.client.metricHistory(runId, 'loss')).length, 1500);
    assert.ok(latest(run, "inf")! > 1e308, "+inf is stored as the largest double, as MLflow does");
    assert.deepEqual(params(run), { lr: '0.1' });
  });

  it('Python SDK under cairn run: logs into that run, beside the metrics it prints and the models it writes', async () => {
    const ws = workspace('sdk-py-run');
    fs.writeFileSync(
      path.join(ws, 'train.py'),
      `import os, sys\nsys.path.insert(0, ${JSON.stringify(path.join(ROOT, 'sdk/python'))})\nimport cairn\nfor e in range(3):\n    cairn.log_metric("sdk_loss", 1 / (e + 1), step=e)\n    print(f"epoch={e} printed_acc={e / 10}")\nos.makedirs("out", exist_ok=True)\nopen("out/net.pt", "wb").write(b"pt")\nopen("clf.joblib", "wb").write(b"j")\ncairn.log_model("clf.joblib", "sklearn")\ncairn.log_params({"from_sdk": "yes", "lr": 0.01, "augment": True})\n`,
    );
    // The script logs lr and augment its own way (0.01, True): its values win, and nothing is refused.
    const r = await cairnRun(['--', PYTHON, 'train.py', '--lr', '1e-2', '--augment', '--epochs', '3'], { cwd: ws, env }).done;
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /refused/);
    const run = await server.client.getRun(runIdOf(r.stderr));
    assert.equal(run.info.status, 'FINISHED');
    assert.deepEqual(await steps(run.info.run_id, 'sdk_loss'), [0, 1, 2]);
    assert.deepEqual(await steps(run.info.run_id, 'printed_acc'), [0, 1, 2]);
    assert.deepEqual(params(run), { lr: '0.01', augment: 'True', epochs: '3', from_sdk: 'yes' });
    assert.deepEqual(candidates(run), [
      { path: 'models/clf.joblib', flavor: 'sklearn' },
      { path: 'outputs/clf.joblib', flavor: 'sklearn' },
      { path: 'outputs/out/net.pt', flavor: 'pytorch' },
    ]);
  });
});

/** Runs a command without cairn run (the SDK creates its own run); returns its stdout. */
async function cairnRunless(argv: string[], cwd: string, expectCode = 0): Promise<string> {
  const { spawn } = await import('node:child_process');
  const child = spawn(argv[0]!, argv.slice(1), { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  assert.equal(code, expectCode, `${argv.join(' ')}\n${out}\n${err}`);
  return out;
}
