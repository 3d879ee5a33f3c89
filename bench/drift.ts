// bench:drift — a drift report over 1,000,000 reference and 1,000,000 current rows of 20 numerical
// and 5 categorical columns (generated, with drift in some columns), against the time of only
// reading the same files. Each phase runs in its own process so peak RSS is per phase.
//   npm run bench:drift [-- --rows N --format csv|parquet]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { driftReport } from '../backend/drift/dataset-drift';
import { fileReader } from '../backend/drift/sources';

const { values } = parseArgs({ options: { rows: { type: 'string' }, phase: { type: 'string' }, dir: { type: 'string' } }, strict: true });
const ROWS = Number(values.rows ?? 1_000_000);
const NUMERIC = 20;
const CATEGORICAL = 5;

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

function writeCsv(file: string, rows: number, seed: number, drift: boolean): void {
  const r = rng(seed);
  const normal = () => {
    let t = 0;
    for (let j = 0; j < 6; j++) t += r();
    return (t - 3) * Math.SQRT2;
  };
  const fd = fs.openSync(file, 'w');
  const header = [...Array.from({ length: NUMERIC }, (_, i) => `num_${i}`), ...Array.from({ length: CATEGORICAL }, (_, i) => `cat_${i}`)];
  const cats = Array.from({ length: CATEGORICAL }, (_, i) => Array.from({ length: 3 + i * 10 }, (_, k) => `c${i}_${k}`));
  let buf = header.join(',') + '\n';
  for (let row = 0; row < rows; row++) {
    const cells: string[] = [];
    for (let i = 0; i < NUMERIC; i++) {
      // a quarter of the columns drift in the current data: shifted mean or wider spread
      const shift = drift && i % 4 === 0 ? 0.25 : 0;
      const scale = drift && i % 4 === 1 ? 1.3 : 1;
      const v = i % 5 === 4 ? Math.floor(r() * 1000) : (normal() * scale + shift) * (i + 1) + i * 10;
      cells.push(i % 5 === 4 ? String(v) : v.toFixed(4));
    }
    for (let i = 0; i < CATEGORICAL; i++) {
      const c = cats[i]!;
      const u = drift && i === 0 ? r() ** 1.5 : r();
      cells.push(c[Math.floor(u * c.length)]!);
    }
    buf += cells.join(',') + '\n';
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
}

async function phase(name: string, dir: string): Promise<void> {
  const ref = path.join(dir, 'reference.csv');
  const cur = path.join(dir, 'current.csv');
  const t0 = process.hrtime.bigint();
  let extra: Record<string, unknown> = {};
  if (name === 'read') {
    // only reading: parse every cell of both files
    let cells = 0;
    for (const f of [ref, cur]) await fileReader(f).scan((b) => (cells += b.rows * b.columns.length));
    extra = { cells };
  } else {
    const report = await driftReport({ reference: { path: ref }, current: { path: cur } }, { reference: fileReader(ref), current: fileReader(cur) });
    extra = {
      columns: report.number_of_columns,
      drifted: report.number_of_drifted_columns,
      approximated: report.approximated_columns.length,
      tests: [...new Set(report.columns.map((c) => c.stattest))],
    };
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ seconds, peak_rss_mb: process.resourceUsage().maxRSS / 1024, ...extra }) + '\n');
}

async function main(): Promise<void> {
  if (values.phase) return phase(values.phase, values.dir!);
  // --dir DIR keeps the generated files there (and reuses them when present)
  const keep = values.dir !== undefined;
  const dir = values.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-drift-'));
  fs.mkdirSync(dir, { recursive: true });
  try {
    const g0 = Date.now();
    if (!fs.existsSync(path.join(dir, `current.csv`)) || !keep) {
      writeCsv(path.join(dir, 'reference.csv'), ROWS, 1, false);
      writeCsv(path.join(dir, 'current.csv'), ROWS, 2, true);
    }
    const mb = (fs.statSync(path.join(dir, 'reference.csv')).size + fs.statSync(path.join(dir, 'current.csv')).size) / 2 ** 20;
    console.log(`generated 2 × ${ROWS.toLocaleString('en-US')} rows × ${NUMERIC + CATEGORICAL} columns of CSV (${mb.toFixed(0)} MiB) in ${((Date.now() - g0) / 1000).toFixed(1)} s`);
    const run = (p: string) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--phase', p, '--dir', dir, '--rows', String(ROWS)], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (r.status !== 0) throw new Error(`${p} phase failed: ${r.stderr}`);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; peak_rss_mb: number; [k: string]: unknown };
    };
    const read = run('read');
    console.log(`read only:    ${read.seconds.toFixed(2)} s, peak RSS ${read.peak_rss_mb.toFixed(0)} MiB`);
    const drift = run('drift');
    console.log(`drift report: ${drift.seconds.toFixed(2)} s, peak RSS ${drift.peak_rss_mb.toFixed(0)} MiB, ${drift['drifted']}/${drift['columns']} columns drifted, tests ${(drift['tests'] as string[]).join(', ')}, approximated ${drift['approximated']}`);
    const ratio = drift.seconds / read.seconds;
    console.log(`ratio drift/read: ${ratio.toFixed(2)} (target <= 2)`);
    console.log(
      JSON.stringify({
        bench: 'drift',
        figures: {
          rows_per_side: ROWS,
          numeric_columns: NUMERIC,
          categorical_columns: CATEGORICAL,
          input_mib: Math.round(mb),
          read_seconds: round(read.seconds),
          drift_seconds: round(drift.seconds),
          ratio_drift_to_read: round(ratio),
          read_peak_rss_mib: Math.round(read.peak_rss_mb),
          drift_peak_rss_mib: Math.round(drift.peak_rss_mb),
          drifted_columns: drift['drifted'],
          approximated_columns: drift['approximated'],
        },
      }),
    );
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

const round = (v: number) => Math.round(v * 100) / 100;

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
