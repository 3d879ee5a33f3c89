// npm run demo: starts a local backend on an embedded store, records a sample run through the
// MLflow-compatible API, and prints where to look. (The run launcher replaces the sample run with
// real tracked training runs.)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const store = path.join(root, '.cairn');
const server = spawn(process.execPath, [path.join(root, 'dist/cli.js'), 'server', '--store', store], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = /ready at (\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
const { token } = JSON.parse(fs.readFileSync(path.join(store, 'server.json'), 'utf8'));
const call = async (rpc, body) => {
  const res = await fetch(`${url}/api/2.0/mlflow/${rpc}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${rpc}: ${res.status} ${await res.text()}`);
  return res.json();
};
const { run } = await call('runs/create', { experiment_id: '0', run_name: 'demo-sample', start_time: Date.now() });
const metrics = Array.from({ length: 20 }, (_, i) => ({ key: 'loss', value: 1 / (i + 1), timestamp: Date.now(), step: i }));
await call('runs/log-batch', { run_id: run.info.run_id, metrics, params: [{ key: 'lr', value: '0.01' }] });
await call('runs/update', { run_id: run.info.run_id, status: 'FINISHED', end_time: Date.now() });
console.log(`\nRecorded run ${run.info.run_id} in ${store}`);
console.log(`Server: ${url} (token in ${path.join(store, 'server.json')})`);
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
