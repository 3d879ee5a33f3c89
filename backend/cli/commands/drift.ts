import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { DriftReport, DriftRequest, DriftSource } from '../../api/drift';
import { CairnClient } from '../../client/cairn-client';
import { discoverBackend, findWorkspaceRoot } from '../../client/discovery';
import { toWireJson } from '../../core/wire';
import { driftReport } from '../../drift/dataset-drift';
import { fileReader } from '../../drift/sources';
import { UsageError, type Command } from '../command';

/** `file.csv` → a path; `dataset:NAME[@VERSION]`; `deployment:NAME[@START..END]` (ms since epoch). */
export function parseSource(s: string): DriftSource {
  if (s.startsWith('dataset:')) {
    const [name, version] = s.slice(8).split('@');
    if (!name) throw new UsageError(`'${s}': expected dataset:NAME[@VERSION]`);
    return { dataset: name, ...(version ? { version } : {}) };
  }
  if (s.startsWith('deployment:')) {
    const [name, window] = s.slice(11).split('@');
    if (!name) throw new UsageError(`'${s}': expected deployment:NAME[@START..END]`);
    const [start, end] = (window ?? '').split('..').map((v) => (v ? Number(v) : undefined));
    if ([start, end].some((v) => v !== undefined && !Number.isFinite(v))) throw new UsageError(`'${s}': START and END are epoch milliseconds`);
    return { deployment: name, start, end };
  }
  return { path: s };
}

const list = (v: string | undefined) => (v === undefined ? undefined : v.split(',').map((x) => x.trim()).filter(Boolean));

function num(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number, got '${v}'`);
  return n;
}

function printTable(r: DriftReport): void {
  const out = process.stdout;
  out.write(`Dataset drift is ${r.dataset_drift ? 'DETECTED' : 'NOT detected'}: ${r.number_of_drifted_columns} of ${r.number_of_columns} columns drifted (share ${r.share_of_drifted_columns.toFixed(3)}, threshold ${r.drift_share}).\n`);
  out.write(`reference ${r.reference.source} (${r.reference.rows} rows), current ${r.current.source} (${r.current.rows} rows), ${r.seconds.toFixed(2)} s\n\n`);
  const rows = [...r.columns].sort((a, b) => Number(b.drift_detected) - Number(a.drift_detected) || b.drift_score - a.drift_score);
  const w = Math.max(6, ...rows.map((c) => c.column.length));
  out.write(`${'column'.padEnd(w)}  type  ${'stat test'.padEnd(30)}  ${'score'.padStart(12)}  ${'threshold'.padStart(9)}  drift\n`);
  for (const c of rows) {
    out.write(`${c.column.padEnd(w)}  ${c.column_type.padEnd(4)}  ${c.stattest_display_name.padEnd(30)}  ${c.drift_score.toPrecision(6).padStart(12)}  ${String(c.threshold).padStart(9)}  ${c.drift_detected ? 'DETECTED' : '-'}${c.approximation ? '  (approx.)' : ''}\n`);
  }
  for (const s of r.skipped_columns) out.write(`skipped ${s.column}: ${s.reason}\n`);
  if (r.approximated_columns.length) out.write(`approximated (inputs above ${r.exact_limit} values per column): ${r.approximated_columns.join(', ')}\n`);
}

export const driftCommand: Command = {
  name: 'drift',
  summary: 'Data drift report (Evidently-compatible stat tests) between a reference and a current dataset',
  usage: `cairn drift --reference SRC --current SRC [--columns a,b] [--numerical-columns a,b]
            [--categorical-columns c,d] [--method NAME] [--threshold T] [--drift-share S]
            [--exact-limit N] [--json]

  SRC                     a .csv/.tsv, .jsonl or .parquet file; dataset:NAME[@VERSION];
                          or deployment:NAME[@START..END] (its prediction log, epoch ms)
  --columns a,b           test only these columns (default: all shared numerical/categorical ones)
  --numerical-columns     force these columns numerical
  --categorical-columns   force these columns categorical
  --method NAME           one stat test for every column: ks chisquare z wasserstein jensenshannon
                          psi kl_div hellinger anderson cramer_von_mises ed t_test mannw g_test
                          fisher_exact empirical_mmd TVD (default: Evidently's choice per column)
  --threshold T           threshold for every column (default: the test's own)
  --drift-share S         dataset drift when the share of drifted columns >= S (default 0.5)
  --exact-limit N         values kept per column before sketching (default 200000)
  --json                  print the report as one JSON object

Files are read in this process; dataset and deployment sources go through the workspace's backend.
Exit code: 0 (no dataset drift), 3 (dataset drift), 1/2 on errors.`,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        reference: { type: 'string' },
        current: { type: 'string' },
        columns: { type: 'string' },
        'numerical-columns': { type: 'string' },
        'categorical-columns': { type: 'string' },
        method: { type: 'string' },
        threshold: { type: 'string' },
        'drift-share': { type: 'string' },
        'exact-limit': { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
    });
    if (!values.reference || !values.current) throw new UsageError('--reference and --current are required');
    const req: DriftRequest = {
      reference: parseSource(values.reference),
      current: parseSource(values.current),
      columns: list(values.columns),
      numerical_columns: list(values['numerical-columns']),
      categorical_columns: list(values['categorical-columns']),
      method: values.method,
      threshold: num(values.threshold, '--threshold'),
      drift_share: num(values['drift-share'], '--drift-share'),
      exact_limit: num(values['exact-limit'], '--exact-limit'),
    };
    let report: DriftReport;
    if ('path' in req.reference && 'path' in req.current) {
      report = await driftReport(req, { reference: fileReader(req.reference.path), current: fileReader(req.current.path) });
    } else {
      const workspace = findWorkspaceRoot(process.cwd());
      for (const side of [req.reference, req.current]) if ('path' in side) side.path = path.resolve(side.path);
      const loc = await discoverBackend({ workspace });
      report = await new CairnClient({ url: loc.url, token: loc.token, timeoutMs: 30 * 60_000 }).createDriftReport(req);
    }
    if (values.json) process.stdout.write(toWireJson(report) + '\n');
    else printTable(report);
    return report.dataset_drift ? 3 : 0;
  },
};
