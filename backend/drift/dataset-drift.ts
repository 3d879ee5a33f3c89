// A drift report over a reference and a current table: type the columns, test each one, and call
// the dataset drifted when the share of drifted columns reaches drift_share (Evidently's rule).
import type { ColumnDriftResult, DriftReport, DriftRequest } from '../api/drift';
import { CairnError } from '../core/errors';
import { columnDrift } from './column-drift';
import { columnType } from './column-typing';
import { driftOptions } from './drift-options';
import { loadTable, type LoadedTable } from './inputs/load-table';
import type { TableReader } from './inputs/table-reader';

export async function driftReport(req: DriftRequest, readers: { reference: TableReader; current: TableReader }): Promise<DriftReport> {
  const started = Date.now();
  const opts = driftOptions(req);
  const numerical = new Set(req.numerical_columns ?? []);
  const categorical = new Set(req.categorical_columns ?? []);
  for (const c of numerical) if (categorical.has(c)) throw new CairnError('INVALID_PARAMETER_VALUE', `Column '${c}' is declared both numerical and categorical.`);
  const wanted = req.columns ? new Set(req.columns) : undefined;
  const loadOpts = { exactLimit: opts.exactLimit, columns: wanted, categorical };
  const [ref, cur] = await Promise.all([loadTable(readers.reference, loadOpts), loadTable(readers.current, loadOpts)]);
  return reportFromTables(req, ref, cur, started);
}

export function reportFromTables(req: DriftRequest, ref: LoadedTable, cur: LoadedTable, started = Date.now()): DriftReport {
  const opts = driftOptions(req);
  const declared = { numerical: new Set(req.numerical_columns ?? []), categorical: new Set(req.categorical_columns ?? []) };
  const skipped: DriftReport['skipped_columns'] = [];
  const names = req.columns ?? [...new Set([...ref.columns.keys(), ...cur.columns.keys()])];
  if (req.columns?.length === 0) throw new CairnError('INVALID_PARAMETER_VALUE', 'columns is empty.');
  const results: ColumnDriftResult[] = [];
  for (const name of names) {
    const r = ref.columns.get(name);
    const c = cur.columns.get(name);
    if (!r || !c) {
      const where = !r ? 'reference' : 'current';
      if (req.columns || declared.numerical.has(name) || declared.categorical.has(name)) throw new CairnError('INVALID_PARAMETER_VALUE', `Cannot find column '${name}' in ${where} dataset.`);
      skipped.push({ column: name, reason: `only in the ${!r ? 'current' : 'reference'} dataset` });
      continue;
    }
    const typing = columnType(name, r, c, declared);
    if ('skip' in typing) {
      if (req.columns) throw new CairnError('INVALID_PARAMETER_VALUE', `Cannot test column '${name}': ${typing.skip}.`);
      skipped.push({ column: name, reason: typing.skip });
      continue;
    }
    results.push(columnDrift(name, typing.type, r, c, opts));
  }
  if (results.length === 0) throw new CairnError('INVALID_PARAMETER_VALUE', 'No column to test: the reference and current datasets share no numerical or categorical column.');
  const drifted = results.filter((r) => r.drift_detected).length;
  const share = drifted / results.length;
  return {
    dataset_drift: share >= opts.driftShare,
    drift_share: opts.driftShare,
    number_of_columns: results.length,
    number_of_drifted_columns: drifted,
    share_of_drifted_columns: share,
    columns: results,
    approximated_columns: results.filter((r) => r.approximation).map((r) => r.column),
    skipped_columns: skipped,
    reference: { source: ref.description, rows: ref.rows },
    current: { source: cur.description, rows: cur.rows },
    exact_limit: opts.exactLimit,
    seconds: (Date.now() - started) / 1000,
  };
}
