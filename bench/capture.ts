/**
 * npm run bench:capture — what `cairn run` costs a training script.
 *
 * 1. Parse rate: lines per CPU-second of the stdout metric parser on 200,000 lines of mixed
 *    formats (key=value, key: value, JSON, Keras progress, and plain log lines). Target ≥ 500,000.
 * 2. Overhead: wall-clock of `cairn run -- python script.py` over `python script.py` for a script
 *    that prints 200,000 metric lines (`step=i loss=… acc=…`, 400,000 points) while it "trains"
 *    (busy CPU between lines, 30 s in all: a step every 150 µs, far chattier than real training),
 *    both with their output read through a pipe and Python unbuffered (as in a terminal). The
 *    wrapped time runs until `cairn run` exits, i.e. until every point is stored on a real local
 *    backend (verified). Target ratio ≤ 1.15.
 * 3. Burst (no target, for the record): the same 200,000 lines printed with no work between
 *    them. Storing 400,000 points durably through log-batch (≤ 1000 per request) is then most of
 *    the time, so this gives the backend's ingest rate as the launcher sees it.
 *
 *   npm run bench:capture [-- --lines 200000 --work 30 --repeat 3]
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { CairnClient } from '../backend/client/cairn-client';
import { MetricLineParser } from '../backend/launcher/metric-line-parser';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '200000' },
    /** Seconds of simulated training spread over the lines. */
    work: { type: 'string', default: '30' },
    repeat: { type: 'string', default: '3' },
  },
});
const LINES = Number(values.lines);
const WORK_SECONDS = Number(values.work);
const REPEAT = Number(values.repeat);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function parseRate(): { mixed: number; keyValue: number; keras: number; plain: number } {
  const corpus = (make: (i: number) => string) => {
    const text = Array.from({ length: LINES }, (_, i) => make(i)).join('\n') + '\n';
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 64 * 1024) chunks.push(text.slice(i, i + 64 * 1024));
    return chunks;
  };
  const kinds = {
    keyValue: corpus((i) => `step=${i} loss=${(1 / (i + 1)).toFixed(6)} acc=${(i / LINES).toFixed(4)}`),
    keras: corpus((i) => (i % 2 ? `Epoch ${i}/${LINES}` : '32/32 [==============================] - 0s 2ms/step - loss: 0.2100 - accuracy: 0.9300 - val_loss: 0.3000')),
    plain: corpus((i) => `2024-05-01 12:00:${String(i % 60).padStart(2, '0')} INFO loading shard ${i} from /data/train`),
    mixed: corpus((i) =>
      [
        `step=${i} loss=${(1 / (i + 1)).toFixed(6)} acc=${(i / LINES).toFixed(4)}`,
        `epoch: ${i} | train_loss: 0.${i % 997} | lr: 1e-3`,
        `{"step": ${i}, "loss": 0.25, "eval": {"f1": 0.75}}`,
        '32/32 [==============================] - 0s 2ms/step - loss: 0.2100 - accuracy: 0.9300',
        `INFO processing batch ${i} of the dataset`,
      ][i % 5]!,
    ),
  };
  // Lines per second of CPU time (this thread's user + system), so a busy machine does not
  // pass off time spent waiting for a core as parsing time.
  const rate = (chunks: string[]) => {
    const runs: number[] = [];
    for (let r = 0; r < 5; r++) {
      let n = 0;
      const p = new MetricLineParser(() => n++);
      const cpu = process.cpuUsage();
      for (const c of chunks) p.push(c, 0);
      p.end(0);
      const used = process.cpuUsage(cpu);
      runs.push(LINES / ((used.user + used.system) / 1e6));
    }
    return Math.round(median(runs));
  };
  return { mixed: rate(kinds.mixed), keyValue: rate(kinds.keyValue), keras: rate(kinds.keras), plain: rate(kinds.plain) };
}

const SCRIPT = `
import sys, time
lines, work = int(sys.argv[1]), float(sys.argv[2])
per_line = work / lines
deadline = time.perf_counter()
for i in range(lines):
    deadline += per_line
    while time.perf_counter() < deadline: pass   # "training": busy, like a real step
    print(f"step={i} loss={1 / (i + 1):.6f} acc={i / lines:.6f}")
`;

/** Runs argv with stdout/stderr read (and dropped) through pipes; returns wall seconds. */
function timed(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ seconds: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', () => undefined);
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve({ seconds: (performance.now() - t) / 1000, stderr }) : reject(new Error(`${argv.join(' ')} exited ${code}:\n${stderr}`))));
  });
}

async function startServer(store: string): Promise<{ url: string; token: string; stop: () => Promise<void> }> {
  const proc = spawn(process.execPath, [CLI, 'server', '--store', store], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /ready at (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const { token } = JSON.parse(fs.readFileSync(path.join(store, 'server.json'), 'utf8')) as { token: string };
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    url,
    token,
    stop: () => {
      proc.kill('SIGTERM');
      return exited;
    },
  };
}

async function overhead(dir: string, server: { url: string; token: string }, workSeconds: number, repeat: number) {
  const script = path.join(dir, 'train.py');
  fs.writeFileSync(script, SCRIPT);
  const baseEnv = { ...process.env, PYTHONUNBUFFERED: '1' };
  const runEnv = { ...baseEnv, CAIRN_TRACKING_URI: server.url, CAIRN_TOKEN: server.token };
  const client = new CairnClient({ url: server.url, token: server.token });
  const direct: number[] = [];
  const wrapped: number[] = [];
  let stored = 0;
  for (let r = 0; r < repeat; r++) {
    direct.push((await timed([PYTHON, script, String(LINES), String(workSeconds)], baseEnv, dir)).seconds);
    const w = await timed([process.execPath, CLI, 'run', '--', PYTHON, script, String(LINES), String(workSeconds)], runEnv, dir);
    wrapped.push(w.seconds);
    const runId = /\(([0-9a-f]{32})\)/.exec(w.stderr)![1]!;
    const loss = await client.metricSeries(runId, 'loss', 4);
    const acc = await client.metricSeries(runId, 'acc', 4);
    stored = loss.total_points + acc.total_points;
    if (stored !== 2 * LINES) throw new Error(`run ${runId} stored ${stored} points, expected ${2 * LINES}`);
  }
  const d = median(direct);
  const w = median(wrapped);
  return { direct_s: round(d), wrapped_s: round(w), ratio: round(w / d, 3), points_stored: stored, runs: { direct: direct.map((x) => round(x)), wrapped: wrapped.map((x) => round(x)) } };
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build'`);
  console.log(`capture bench: ${LINES} lines; ${os.cpus().length} CPUs; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const rates = parseRate();
  console.log(`parse rate (lines per CPU-second, median of 5): mixed ${rates.mixed}, key=value ${rates.keyValue}, keras ${rates.keras}, plain log lines ${rates.plain}`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-capture-'));
  fs.mkdirSync(path.join(dir, '.cairn'));
  const server = await startServer(path.join(dir, 'store'));
  try {
    const training = await overhead(dir, server, WORK_SECONDS, REPEAT);
    console.log(`overhead, ${LINES} lines over ~${WORK_SECONDS} s of training: direct ${training.direct_s} s, cairn run ${training.wrapped_s} s → ratio ${training.ratio} (all ${training.points_stored} points stored)`);
    const burst = await overhead(dir, server, 0, 1);
    console.log(`burst, ${LINES} lines with no work between them: direct ${burst.direct_s} s, cairn run ${burst.wrapped_s} s (until all ${burst.points_stored} points are stored durably)`);
    const figures = {
      lines: LINES,
      parse_rate_lines_per_s: rates.mixed,
      parse_rate_key_value_lines_per_s: rates.keyValue,
      parse_rate_keras_lines_per_s: rates.keras,
      parse_rate_plain_lines_per_s: rates.plain,
      overhead_ratio: training.ratio,
      direct_s: training.direct_s,
      cairn_run_s: training.wrapped_s,
      burst_direct_s: burst.direct_s,
      burst_cairn_run_s: burst.wrapped_s,
      burst_ingest_points_per_s: Math.round(burst.points_stored / burst.wrapped_s),
      points_stored_per_run: training.points_stored,
      targets_met: rates.mixed >= 500_000 && training.ratio <= 1.15,
    };
    console.log(JSON.stringify({ bench: 'capture', figures }));
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
