// npm run bench:serving — serving throughput and latency of the weather TF.js classifier.
// Prints figures and ends with {"bench":"serving","figures":{…}}.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { ServingClient } from '../backend/client/serving-client';
import { batchPredict } from '../backend/serving/batch/batch-predict';
import { loadIsolatedRuntime } from '../backend/serving/runtimes/load-runtime';
import { TfjsRuntime } from '../backend/serving/runtimes/tfjs-runtime';
import { FEATURES, trainWeatherTfjs, weatherRows } from '../test/helpers/models';
import { publishModel } from '../test/helpers/registry';
import { startServerProcess } from '../test/helpers/server-process';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 2);
/** Each figure is the median of ROUNDS runs, alternating the modes compared, so a burst of other load on the machine does not decide a ratio. */
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const rows = weatherRows();
const row = (i: number) => FEATURES.map((f) => rows[i % rows.length]![f as 'wind']);

function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
}
const r2 = (x: number) => Math.round(x * 100) / 100;

/** Closed-loop load: `concurrency` clients each sending one-row OIP requests back to back for SECONDS. */
async function load(url: string, token: string, deployment: string, concurrency: number): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const u = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const send = (i: number) =>
    new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: row(i) }] });
      const started = performance.now();
      const req = http.request(
        { host: u.hostname, port: u.port, method: 'POST', path: `/v2/models/${deployment}/infer`, agent, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`HTTP ${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const run = async (ms: number) => {
    const latencies: number[] = [];
    let errors = 0;
    let n = 0;
    const end = performance.now() + ms;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) {
          try {
            latencies.push(await send(n++));
          } catch {
            errors++;
          }
        }
      }),
    );
    return { latencies, errors };
  };
  await run(500); // warm-up: connections, JIT
  const started = performance.now();
  const { latencies, errors } = await run(SECONDS * 1000);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rps: Math.round(latencies.length / elapsed), p50: r2(quantile(latencies, 0.5)), p99: r2(quantile(latencies, 0.99)), errors };
}

type LoadResult = Awaited<ReturnType<typeof load>>;

/** Runs `modes` alternately ROUNDS times and keeps each mode's median run (by req/s). */
async function compare(url: string, token: string, modes: string[], concurrency: number): Promise<Record<string, LoadResult>> {
  const runs: Record<string, LoadResult[]> = Object.fromEntries(modes.map((m) => [m, []]));
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? modes : [...modes].reverse();
    for (const m of order) runs[m]!.push(await load(url, token, m, concurrency));
  }
  return Object.fromEntries(modes.map((m) => [m, [...runs[m]!].sort((a, b) => a.rps - b.rps)[Math.floor(ROUNDS / 2)]!]));
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-serving-'));
  const figures: Record<string, number> = {};
  try {
    const modelDir = path.join(root, 'model');
    await trainWeatherTfjs(modelDir, { epochs: 5 });
    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

    // In-process predict, one row at a time: the floor the server is compared with.
    const rt = await TfjsRuntime.load(modelDir, 'tfjs-layers');
    const inproc: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const t0 = performance.now();
      await rt.predict([{ name: 'x', datatype: 'FP32', shape: [1, 4], data: row(i) }]);
      if (i >= 500) inproc.push(performance.now() - t0);
    }
    inproc.sort((a, b) => a - b);
    figures['inprocess_p50_ms'] = r2(quantile(inproc, 0.5) * 1000) / 1000;
    console.log(`in-process predict (1 row): p50 ${figures['inprocess_p50_ms']} ms`);
    await rt.close();

    const server = await startServerProcess(path.join(root, 'store'), [], { CAIRN_FSYNC: '1' });
    const sc = new ServingClient(server.client);
    await publishModel(server.client, modelDir, { name: 'weather' });
    await sc.deploy({ model: 'weather/1', name: 'batched' });
    await sc.deploy({ model: 'weather/1', name: 'unbatched', config: { batching: { enabled: false } } });
    await sc.deploy({ model: 'weather/1', name: 'delay2', config: { batching: { max_delay_ms: 2 } } });
    for (const c of [1, 8, 64]) {
      const res = await compare(server.url, server.token, ['batched', 'unbatched', ...(c === 1 || c === 64 ? ['delay2'] : [])], c);
      for (const [mode, r] of Object.entries(res)) {
        const key = mode === 'delay2' ? `c${c}_batched_delay2ms` : `c${c}_${mode}`;
        figures[`${key}_rps`] = r.rps;
        figures[`${key}_p50_ms`] = r.p50;
        figures[`${key}_p99_ms`] = r.p99;
        const label = mode === 'delay2' ? 'batched, max_delay_ms 2' : mode;
        console.log(`concurrency ${String(c).padStart(2)} ${label.padEnd(23)}: ${String(r.rps).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}`);
      }
      console.log(`  mean batch size so far: batched ${(await sc.deployment('batched')).stats.mean_batch_size}`);
    }
    figures['c64_batched_over_unbatched'] = r2(figures['c64_batched_rps']! / figures['c64_unbatched_rps']!);

    // The same data through a compute-heavier classifier (2 hidden layers of 1024): where the model,
    // not HTTP, is the cost, batching pays off as on Triton's published figures.
    const wideDir = path.join(root, 'wide');
    await trainWeatherTfjs(wideDir, { epochs: 1, hidden: 1024, layers: 2 });
    await publishModel(server.client, wideDir, { name: 'weather-wide' });
    await sc.deploy({ model: 'weather-wide/1', name: 'wide-batched' });
    await sc.deploy({ model: 'weather-wide/1', name: 'wide-unbatched', config: { batching: { enabled: false } } });
    const wide = await compare(server.url, server.token, ['wide-batched', 'wide-unbatched'], 64);
    for (const [mode, r] of Object.entries(wide)) {
      figures[`c64_${mode.replace('-', '_')}_rps`] = r.rps;
      figures[`c64_${mode.replace('-', '_')}_p50_ms`] = r.p50;
      console.log(`concurrency 64 ${mode}: ${r.rps} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}`);
    }
    figures['c64_wide_batched_over_unbatched'] = r2(figures['c64_wide_batched_rps']! / figures['c64_wide_unbatched_rps']!);
    console.log(`wide model, batched/unbatched at concurrency 64: ${figures['c64_wide_batched_over_unbatched']}×`);
    figures['overhead_p50_ms'] = r2(figures['c1_batched_p50_ms']! - figures['inprocess_p50_ms']!);
    console.log(`batched/unbatched at concurrency 64: ${figures['c64_batched_over_unbatched']}× (target ≥ 3×)`);
    console.log(`serving overhead at concurrency 1: ${figures['overhead_p50_ms']} ms p50 over in-process predict (target ≤ 1 ms)`);
    await server.stop();

    // Batch prediction: the streaming path of `cairn predict`, on seattle-weather repeated to 100k rows.
    const input = path.join(root, 'big.csv');
    const out = fs.createWriteStream(input);
    out.write(FEATURES.join(',') + '\n');
    for (let i = 0; i < 100_000; i++) out.write(row(i).join(',') + '\n');
    await new Promise((r) => out.end(r));
    const worker = await loadIsolatedRuntime(modelDir);
    const res = await batchPredict(worker, { ...worker.signature, columns: FEATURES }, { input, output: path.join(root, 'out.csv'), chunkRows: 2048 });
    await worker.close();
    figures['batch_predict_rows_per_s'] = Math.round(res.rows / res.seconds);
    console.log(`batch prediction: ${res.rows} rows CSV → CSV in ${res.seconds.toFixed(2)} s = ${figures['batch_predict_rows_per_s']} rows/s`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  figures['load_average_1m_at_end'] = r2(os.loadavg()[0]!);
  console.log(JSON.stringify({ bench: 'serving', figures }));
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
