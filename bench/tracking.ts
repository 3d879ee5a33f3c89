/**
 * npm run bench:tracking — the tracking server's figures, measured against the built server
 * process over HTTP on 127.0.0.1. Sizes scale with BENCH_SCALE (1 = the issue's sizes).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { populateRuns } from './lib/populate';
import { peakRssMb, percentile, request, startServer, type BenchServer } from './lib/server';

const SCALE = Number(process.env['BENCH_SCALE'] ?? 1);
const n = (x: number) => Math.max(1, Math.round(x * SCALE));
const figures: Record<string, number> = {};
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-tracking-'));

function report(name: string, value: number, unit: string, note = ''): void {
  figures[name] = Math.round(value * 100) / 100;
  console.log(`${name.padEnd(44)} ${figures[name]!.toString().padStart(12)} ${unit}${note ? `  (${note})` : ''}`);
}

async function mlflow(s: BenchServer, rpc: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await request(s, 'POST', `/api/2.0/mlflow/${rpc}`, JSON.stringify(body));
  if (res.status !== 200) throw new Error(`${rpc}: ${res.status} ${res.text.slice(0, 300)}`);
  return JSON.parse(res.text) as Record<string, unknown>;
}

async function createRun(s: BenchServer, experimentId: string): Promise<string> {
  const res = await mlflow(s, 'runs/create', { experiment_id: experimentId, start_time: Date.now() });
  return (res['run'] as { info: { run_id: string } }).info.run_id;
}

async function searchP50(s: BenchServer, experimentId: string, label: string): Promise<void> {
  const body = JSON.stringify({ experiment_ids: [experimentId], filter: "metrics.m0 > 0.5 AND params.p1 = '3'", order_by: ['metrics.m0 DESC'], max_results: 100 });
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < 40; i++) {
    const t = performance.now();
    const res = await request(s, 'POST', '/api/2.0/mlflow/runs/search', body);
    if (i >= 5) times.push(performance.now() - t);
    hits = (JSON.parse(res.text) as { runs?: unknown[] }).runs?.length ?? 0;
  }
  report(`search_p50_ms_${label}`, percentile(times, 50), 'ms', `metric+param filter, metric order, first page of ${hits}`);
}

/**
 * Pre-encoded 1000-point metric arrays, so the client spends its time sending, not building JSON:
 * the server and the bench share two cores.
 */
const metricPool = Array.from({ length: 16 }, (_, b) =>
  JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({ key: `loss${i % 4}`, value: Math.random(), timestamp: 1_700_000_000_000 + b, step: b * 250 + (i >> 2) }))),
);
const batchBody = (runId: string, b: number) => `{"run_id":"${runId}","metrics":${metricPool[b % metricPool.length]}}`;

/** `clients` loops each posting 1000-point log-batch requests to its own run. */
async function ingest(s: BenchServer, runIds: string[], batchesPerClient: number): Promise<{ pointsPerSec: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    runIds.map(async (runId, c) => {
      for (let b = 0; b < batchesPerClient; b++) {
        const body = batchBody(runId, b);
        const t = performance.now();
        const res = await request(s, 'POST', '/api/2.0/mlflow/runs/log-batch', body);
        latencies.push(performance.now() - t);
        if (res.status !== 200) throw new Error(`client ${c}: ${res.status} ${res.text}`);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { pointsPerSec: (runIds.length * batchesPerClient * 1000) / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function main(): Promise<void> {
  console.log(`bench:tracking (scale ${SCALE}) in ${root}\n`);
  const store = path.join(root, 'store');
  const env = { CAIRN_CHECKPOINT_INTERVAL_MS: '3000' };

  // --- search over 10,000 runs, then 100,000
  const small = n(10_000);
  let t = performance.now();
  const exp = await populateRuns(store, 'bench', small);
  console.log(`populated ${small} runs in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  let s = await startServer(store, env);
  await searchP50(s, exp, '10k');
  await s.stop();

  const large = n(100_000);
  t = performance.now();
  await populateRuns(store, 'bench', large - small);
  console.log(`populated ${large} runs in total (+${((performance.now() - t) / 1000).toFixed(1)} s)`);
  s = await startServer(store, env);
  report('restart_ms_100k_runs_clean', s.startMs, 'ms', 'spawn to ready after a clean shutdown');
  await searchP50(s, exp, '100k');

  // --- ingest: 4 clients × log-batch of 1000 points, while the store holds 100k runs and
  // checkpoints run every 3 s in the background.
  const ingestExp = String((await mlflow(s, 'experiments/create', { name: 'ingest' }))['experiment_id']);
  const runs = await Promise.all([0, 1, 2, 3].map(() => createRun(s, ingestExp)));
  await ingest(s, runs, 10); // warm-up
  const ing = await ingest(s, runs, n(250));
  report('ingest_points_per_s_4_clients', ing.pointsPerSec, 'points/s', 'target >= 200,000');
  report('ingest_batch_p50_ms', ing.p50, 'ms');
  report('ingest_batch_p99_ms_100k_runs', ing.p99, 'ms', 'with background checkpoints of the 100k-run store');

  // --- a 1,000,000-point metric: full history and a 1,000-point downsampled series
  const longRun = await createRun(s, ingestExp);
  const points = n(1_000_000);
  for (let b = 0; b < points / 1000; b++) {
    const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: 'long', value: Math.sin((b * 1000 + i) / 5000) + (Math.random() - 0.5) * 0.1, timestamp: 1_700_000_000_000 + b, step: b * 1000 + i }));
    await mlflow(s, 'runs/log-batch', { run_id: longRun, metrics });
  }
  const timeGet = async (p: string, times: number) => {
    const out: number[] = [];
    let bytes = 0;
    for (let i = 0; i < times; i++) {
      const t1 = performance.now();
      const res = await request(s, 'GET', p);
      out.push(performance.now() - t1);
      bytes = res.text.length;
      if (res.status !== 200) throw new Error(res.text);
    }
    return { times: out, bytes };
  };
  const seriesPath = `/api/cairn/v1/runs/${longRun}/metrics/long?max_points=1000`;
  const cold = await timeGet(seriesPath, 1);
  report('series_1k_of_1M_cold_ms', cold.times[0]!, 'ms', 'first read: decodes the history file');
  const warm = await timeGet(seriesPath, 30);
  report('series_1k_of_1M_p50_ms', percentile(warm.times, 50), 'ms', 'target <= 20');
  const full = await timeGet(`/api/2.0/mlflow/metrics/get-history?run_id=${longRun}&metric_key=long`, 3);
  report('history_full_1M_p50_ms', percentile(full.times, 50), 'ms', `${(full.bytes / 1e6).toFixed(0)} MB of JSON`);

  // --- restart after kill -9 with 100k runs (snapshot + journal replay)
  await s.kill();
  s = await startServer(store, env);
  report('restart_ms_100k_runs_after_kill9', s.startMs, 'ms', 'target <= 2000');
  await s.stop();

  // --- peak RSS with 10,000,000 metric points across 1,000 runs (fresh store)
  const rssStore = path.join(root, 'rss');
  s = await startServer(rssStore, env);
  const rssExp = String((await mlflow(s, 'experiments/create', { name: 'rss' }))['experiment_id']);
  const rssRuns: string[] = [];
  for (let i = 0; i < n(1000); i++) rssRuns.push(await createRun(s, rssExp));
  const totalBatches = n(10_000);
  let next = 0;
  const t2 = performance.now();
  await Promise.all(
    [0, 1, 2, 3].map(async () => {
      for (;;) {
        const b = next++;
        if (b >= totalBatches) return;
        const res = await request(s, 'POST', '/api/2.0/mlflow/runs/log-batch', batchBody(rssRuns[b % rssRuns.length]!, b));
        if (res.status !== 200) throw new Error(res.text);
      }
    }),
  );
  report('ingest_points_per_s_10M_points', (totalBatches * 1000) / ((performance.now() - t2) / 1000), 'points/s', '4 clients, 1,000 runs');
  report('peak_rss_mb_10M_points_1000_runs', peakRssMb(s.pid), 'MB', 'target <= 600');
  await s.stop();

  fs.rmSync(root, { recursive: true, force: true });
  console.log(JSON.stringify({ bench: 'tracking', figures }));
}

main().catch((err) => {
  console.error(err);
  fs.rmSync(root, { recursive: true, force: true });
  process.exit(1);
});
