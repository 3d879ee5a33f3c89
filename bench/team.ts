/**
 * npm run bench:team — the team backend on PostgreSQL:
 *  1. ingest: 4 clients (2 per replica) logging runs through 2 replicas for BENCH_TEAM_SECONDS;
 *  2. runs/search p50 at 1,000,000 runs in one experiment, loaded with bulk SQL (not the API),
 *     over HTTP through a replica, for several typical queries.
 * Needs PostgreSQL (scripts/start-postgres.sh; CAIRN_BENCH_PG_URL to use another server). The
 * runs count scales with BENCH_TEAM_RUNS (default 1,000,000).
 */
import pg from 'pg';
import { runAs } from '../backend/auth/actor';
import { UserStore } from '../backend/auth/user-store';
import { openPgStores } from '../backend/store/pg/open-store';
import { percentile, request } from './lib/server';
import { startReplica, type TeamReplica } from './lib/team-server';

const ADMIN_URL = process.env['CAIRN_BENCH_PG_URL'] ?? process.env['CAIRN_TEST_PG_URL'] ?? 'postgres://cairn:cairn@127.0.0.1:5432/postgres';
const RUNS = Number(process.env['BENCH_TEAM_RUNS'] ?? 1_000_000);
const INGEST_SECONDS = Number(process.env['BENCH_TEAM_SECONDS'] ?? 15);
const DB_NAME = 'cairn_bench_team';
const SCHEMA = 'bench';
const figures: Record<string, number> = {};

function report(name: string, value: number, unit: string, note = ''): void {
  figures[name] = Math.round(value * 100) / 100;
  console.log(`${name.padEnd(40)} ${figures[name]!.toString().padStart(12)} ${unit}${note ? `  (${note})` : ''}`);
}

async function freshDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${ADMIN_URL.replace(/:[^:@/]*@/, ':***@')} (${(err as Error).message}); run 'bash scripts/start-postgres.sh'`);
  }
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const u = new URL(ADMIN_URL);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
}

type Server = { url: string; token: string };

async function call(s: Server, rpc: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await request(s, 'POST', `/api/2.0/mlflow/${rpc}`, JSON.stringify(body));
  if (res.status !== 200) throw new Error(`${rpc}: ${res.status} ${res.text.slice(0, 300)}`);
  return JSON.parse(res.text) as Record<string, unknown>;
}

/** One client: runs of 20 log-batch calls of 100 points (10 metrics × 10 steps), params first, then FINISHED. */
async function ingestClient(s: Server, experimentId: string, deadline: number, stats: { points: number; requests: number; batchMs: number[] }): Promise<void> {
  while (Date.now() < deadline) {
    const run = await call(s, 'runs/create', { experiment_id: experimentId, start_time: Date.now() });
    const runId = (run['run'] as { info: { run_id: string } }).info.run_id;
    stats.requests++;
    for (let b = 0; b < 20 && Date.now() < deadline; b++) {
      const metrics = [];
      for (let step = b * 10; step < b * 10 + 10; step++) for (let k = 0; k < 10; k++) metrics.push({ key: `m${k}`, value: Math.random(), timestamp: Date.now(), step });
      const params = b === 0 ? Array.from({ length: 10 }, (_, i) => ({ key: `p${i}`, value: String(i * 7) })) : [];
      const t = performance.now();
      await call(s, 'runs/log-batch', { run_id: runId, metrics, params, tags: [] });
      stats.batchMs.push(performance.now() - t);
      stats.points += metrics.length;
      stats.requests++;
    }
    await call(s, 'runs/update', { run_id: runId, status: 'FINISHED', end_time: Date.now() });
    stats.requests++;
  }
}

/** 1,000,000 runs with params, tags and latest metrics, generated inside PostgreSQL. */
async function bulkLoad(db: string, experimentId: number): Promise<void> {
  const c = new pg.Client({ connectionString: db, options: `-c search_path=${SCHEMA}` });
  await c.connect();
  const rnd = (salt: number) => `((hashint4(i * 31 + ${salt}) & 2147483647)::float8 / 2147483647)`;
  const runId = `md5('bench-run-' || i)`;
  const series = `FROM generate_series(1, ${RUNS}) AS i`;
  await c.query('SET synchronous_commit = off');
  await c.query(`INSERT INTO runs (run_uuid, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri)
    SELECT ${runId}, ${experimentId}, 'run-' || i, 'user-' || (i % 50), CASE WHEN i % 10 = 0 THEN 'FAILED' ELSE 'FINISHED' END,
      1600000000000 + i::bigint * 1000, 1600000000000 + i::bigint * 1000 + 600000, 'active', 'mlflow-artifacts:/${experimentId}/' || ${runId} || '/artifacts' ${series}`);
  const perRun = `FROM runs r CROSS JOIN LATERAL (SELECT r.run_key::int AS i) AS k WHERE r.experiment_id = ${experimentId}`;
  await c.query(`INSERT INTO params (run_key, key, value) SELECT r.run_key, 'lr', (ARRAY['0.1','0.03','0.01','0.003','0.001'])[1 + i % 5] ${perRun}`);
  await c.query(`INSERT INTO params (run_key, key, value) SELECT r.run_key, 'model', (ARRAY['xgboost','lightgbm','linear','mlp','forest','svm','knn','lasso'])[1 + i % 8] ${perRun}`);
  await c.query(`INSERT INTO tags (run_key, key, value) SELECT r.run_key, 'mlflow.runName', r.run_name ${perRun}`);
  await c.query(`INSERT INTO tags (run_key, key, value) SELECT r.run_key, 'team', (ARRAY['vision','nlp','tabular'])[1 + i % 3] ${perRun}`);
  await c.query(`INSERT INTO latest_metrics (run_key, key, value, timestamp, step, is_nan) SELECT r.run_key, 'acc', ${rnd(1)}, 1, 100, false ${perRun}`);
  await c.query(`INSERT INTO latest_metrics (run_key, key, value, timestamp, step, is_nan) SELECT r.run_key, 'loss', ${rnd(2)} * 2, 1, 100, false ${perRun}`);
  await c.query('VACUUM ANALYZE');
  await c.end();
}

const QUERIES: { name: string; note: string; body: (exp: string) => Record<string, unknown> }[] = [
  { name: 'default', note: 'no filter, newest first (the UI list)', body: (e) => ({ experiment_ids: [e], max_results: 100 }) },
  { name: 'metric_order', note: 'order by metrics.acc DESC', body: (e) => ({ experiment_ids: [e], max_results: 100, order_by: ['metrics.acc DESC'] }) },
  { name: 'metric_filter', note: "metrics.acc > 0.9, newest first", body: (e) => ({ experiment_ids: [e], max_results: 100, filter: 'metrics.acc > 0.9' }) },
  {
    name: 'metric_param_filter_order',
    note: "metrics.acc > 0.5 AND params.model = 'mlp', order by metrics.acc DESC",
    body: (e) => ({ experiment_ids: [e], max_results: 100, filter: "metrics.acc > 0.5 AND params.model = 'mlp'", order_by: ['metrics.acc DESC'] }),
  },
  { name: 'tag_param_filter', note: "tags.team = 'nlp' AND params.lr = '0.01'", body: (e) => ({ experiment_ids: [e], max_results: 100, filter: "tags.team = 'nlp' AND params.lr = '0.01'" }) },
  { name: 'selective_metric', note: 'metrics.loss < 0.0005 (≈250 runs), order by metrics.loss', body: (e) => ({ experiment_ids: [e], max_results: 100, filter: 'metrics.loss < 0.0005', order_by: ['metrics.loss ASC'] }) },
];

async function main(): Promise<void> {
  const db = await freshDatabase();
  const stores = await openPgStores({ url: db, schema: SCHEMA });
  const users = new UserStore(stores.db);
  const token = await runAs({ user: 'bench', role: 'admin' }, async () => {
    await users.addUser('bench', 'writer');
    return (await users.createToken('bench')).token;
  });
  const ingestExp = await stores.meta.createExperiment({ name: 'ingest' });
  const bigExp = await stores.meta.createExperiment({ name: 'million' });
  await stores.close();

  const replicas: TeamReplica[] = await Promise.all([startReplica(db, SCHEMA), startReplica(db, SCHEMA)]);
  try {
    // 1. ingest
    const stats = { points: 0, requests: 0, batchMs: [] as number[] };
    const deadline = Date.now() + INGEST_SECONDS * 1000;
    const t0 = performance.now();
    await Promise.all([0, 1, 2, 3].map((i) => ingestClient({ url: replicas[i % 2]!.url, token }, ingestExp, deadline, stats)));
    const seconds = (performance.now() - t0) / 1000;
    report('ingest_metric_points_per_s', stats.points / seconds, 'points/s', `4 clients over 2 replicas, ${INGEST_SECONDS} s, log-batch of 100 points`);
    report('ingest_requests_per_s', stats.requests / seconds, 'req/s');
    report('ingest_log_batch_p50_ms', percentile(stats.batchMs, 50), 'ms');
    report('ingest_log_batch_p95_ms', percentile(stats.batchMs, 95), 'ms');

    // 2. search at a million runs
    const t1 = performance.now();
    await bulkLoad(db, Number(bigExp));
    report('bulk_load_runs_s', (performance.now() - t1) / 1000, 's', `${RUNS} runs, 2 params, 2 tags, 2 latest metrics each, INSERT … SELECT generate_series + VACUUM ANALYZE`);
    const s = { url: replicas[0]!.url, token };
    const allP50: number[] = [];
    for (const q of QUERIES) {
      const body = JSON.stringify(q.body(bigExp));
      const times: number[] = [];
      let hits = 0;
      for (let i = 0; i < 25; i++) {
        const t = performance.now();
        const res = await request(s, 'POST', '/api/2.0/mlflow/runs/search', body);
        if (res.status !== 200) throw new Error(`search ${q.name}: ${res.status} ${res.text.slice(0, 300)}`);
        if (i >= 5) times.push(performance.now() - t);
        hits = (JSON.parse(res.text) as { runs?: unknown[] }).runs?.length ?? 0;
      }
      const p50 = percentile(times, 50);
      allP50.push(p50);
      report(`search_p50_ms_${q.name}`, p50, 'ms', `${q.note}; ${hits} runs in the page`);
    }
    report('search_p50_ms', percentile(allP50, 50), 'ms', `median of the ${QUERIES.length} queries' p50 at ${RUNS} runs (target ≤ 100)`);
    report('search_worst_p50_ms', Math.max(...allP50), 'ms');
    report('runs_in_experiment', RUNS, 'runs');
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
  }
  console.log(JSON.stringify({ bench: 'team', figures }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
