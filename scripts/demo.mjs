// npm run demo: records real training runs with `cairn run` on the embedded store `.cairn/` at
// the repo root (the first run starts the local backend in the background), over a small
// hyperparameter sweep of both examples, then prints the runs and where to look.
//   node scripts/demo.mjs [--stop]    (--stop: stop the backend at the end instead of leaving it up)
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const cli = path.join(root, 'dist', 'cli.js');
const store = path.join(root, '.cairn');
const tsxLoader = path.join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs');
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const SWEEP = [
  ...[
    { lr: '0.01', hidden: '8' },
    { lr: '0.03', hidden: '16' },
    { lr: '0.01', hidden: '32' },
  ].map((p) => ({
    experiment: 'weather-tfjs',
    name: `tfjs-lr${p.lr}-h${p.hidden}`,
    command: [process.execPath, '--import', tsxLoader, 'examples/weather-tfjs/train.ts', '--epochs', '25', '--lr', p.lr, '--hidden', p.hidden, '--seed', '1'],
    show: ['val_acc', 'test_accuracy'],
  })),
  ...[
    { n: '50', lr: '0.1', depth: '2' },
    { n: '100', lr: '0.1', depth: '3' },
    { n: '100', lr: '0.05', depth: '3' },
  ].map((p) => ({
    experiment: 'weather-sklearn',
    name: `gb-n${p.n}-lr${p.lr}-d${p.depth}`,
    watch: 'examples/weather-sklearn/out',
    command: [python, 'examples/weather-sklearn/train.py', '--n-estimators', p.n, '--learning-rate', p.lr, '--max-depth', p.depth, '--seed', '1', '--out', 'examples/weather-sklearn/out'],
    show: ['val_accuracy', 'test_accuracy'],
  })),
];

function fail(msg) {
  console.error(`\ndemo: ${msg}`);
  process.exit(1);
}

function checkPrerequisites() {
  if (!fs.existsSync(cli)) fail(`${cli} is missing: run 'npm run build' (npm run demo does it).`);
  const sk = spawnSync(python, ['-c', 'import sklearn, numpy'], { encoding: 'utf8' });
  if (sk.status !== 0) fail(`scikit-learn is not importable by ${python}: install Debian's python3-sklearn (see the README's prerequisites).\n${sk.stderr ?? ''}`);
  if (!fs.existsSync(path.join(root, 'node_modules', 'vega-datasets', 'data', 'seattle-weather.csv'))) fail("the vega-datasets package is missing: run 'npm ci'.");
}

/** One tracked run; its output goes to the terminal as it comes (that is what cairn run does). */
function track(run) {
  return new Promise((resolve) => {
    const args = [cli, 'run', '--experiment', run.experiment, '--name', run.name, ...(run.watch ? ['--watch', run.watch] : []), '--', ...run.command];
    console.log(`\n$ cairn run --experiment ${run.experiment} --name ${run.name}${run.watch ? ` --watch ${run.watch}` : ''} -- ${run.command.map((a) => (a.startsWith(root) ? path.relative(root, a) : a)).join(' ')}`);
    // The demo records into the repo's own local backend, whatever the shell points at.
    const env = { ...process.env };
    for (const name of ['CAIRN_TRACKING_URI', 'CAIRN_TOKEN', 'CAIRN_RUN_ID', 'MLFLOW_TRACKING_URI', 'MLFLOW_RUN_ID']) delete env[name];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'pipe'], env });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      process.stderr.write(d);
    });
    child.once('close', (code) => {
      const m = /\[cairn\] run \S+ \(([0-9a-f]{32})\)/.exec(err);
      resolve({ ...run, code, runId: m?.[1] });
    });
  });
}

async function getRun(rec, runId) {
  const res = await fetch(`${rec.url}/api/2.0/mlflow/runs/get?run_id=${runId}`, { headers: { Authorization: `Bearer ${rec.token}` } });
  if (!res.ok) throw new Error(`runs/get ${runId}: ${res.status} ${await res.text()}`);
  return (await res.json()).run;
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r, j) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ') + (j === 0 ? `\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : '')).join('\n');
}

const fmt = (v) => (typeof v === 'number' ? v.toFixed(4) : v === undefined ? '-' : String(v));

async function main() {
  checkPrerequisites();
  const started = Date.now();
  const results = [];
  for (const run of SWEEP) results.push(await track(run));
  const failed = results.filter((r) => r.code !== 0 || !r.runId);
  if (failed.length) fail(`${failed.length} run(s) did not finish: ${failed.map((r) => r.name).join(', ')}`);

  const rec = JSON.parse(fs.readFileSync(path.join(store, 'server.json'), 'utf8'));
  const rows = [['experiment', 'run', 'status', 'params', 'metrics (final)', 'time']];
  for (const r of results) {
    const run = await getRun(rec, r.runId);
    if (run.info.status !== 'FINISHED') fail(`run ${r.name} is ${run.info.status}`);
    const params = Object.fromEntries((run.data.params ?? []).map((p) => [p.key, p.value]));
    const metrics = Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, m.value]));
    const shownParams = Object.entries(params)
      .filter(([k]) => !['out', 'backend', 'features', 'seed'].includes(k))
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    rows.push([r.experiment, run.info.run_name, run.info.status, shownParams, r.show.map((k) => `${k}=${fmt(metrics[k])}`).join(' '), `${((run.info.end_time - run.info.start_time) / 1000).toFixed(1)} s`]);
  }
  console.log(`\n\nRecorded ${results.length} runs in ${((Date.now() - started) / 1000).toFixed(0)} s:\n\n${table(rows)}`);
  console.log(`
Where to look:
  Backend     ${rec.url}  (store ${path.relative(process.cwd(), store) || '.'}/, token in ${path.relative(process.cwd(), path.join(store, 'server.json'))}, pid ${rec.pid})
  MLflow API  export MLFLOW_TRACKING_URI=${rec.url} MLFLOW_TRACKING_TOKEN=$(node -p "require('./.cairn/server.json').token")
  Runs        curl -s -H "Authorization: Bearer $MLFLOW_TRACKING_TOKEN" "$MLFLOW_TRACKING_URI/api/2.0/mlflow/runs/get?run_id=${results[0].runId}"
  VS Code     open this folder in VS Code with the Cairn extension (from this repo: Run and Debug → "Run Extension",
              or code --extensionDevelopmentPath=${root} ${root}); the Cairn view lists these experiments and runs,
              which the extension reads from the same .cairn/ store through this backend.
  Models      each weather-tfjs run logged models/model (TF.js); each weather-sklearn run's out/model.pkl is in
              outputs/ — see the runs' cairn.model.candidates tag.
  Track more  npx cairn run -- ${python} examples/weather-sklearn/train.py --n-estimators 200`);
  if (process.argv.includes('--stop')) {
    process.kill(rec.pid, 'SIGTERM');
    console.log('\nBackend stopped (--stop).');
  } else console.log(`\nThe backend keeps running in the background; stop it with: kill ${rec.pid}`);
}

main().catch((err) => fail(err.stack ?? String(err)));
