import type { DriftRequest } from '../api/drift';
import { CairnError } from '../core/errors';
import type { ColumnType } from './column-pair';
import { statTestNames } from './stattests/registry';

/** Evidently's precedence for the test and threshold of a column: per column > per type > global > default. */
export interface DriftOptions {
  methodFor(column: string, type: ColumnType): string | undefined;
  thresholdFor(column: string, type: ColumnType): number | undefined;
  driftShare: number;
  exactLimit: number;
}

export const DEFAULT_EXACT_LIMIT = 200_000;
export const DEFAULT_DRIFT_SHARE = 0.5;

export function driftOptions(req: DriftRequest): DriftOptions {
  const known = new Set(statTestNames());
  const methods = [req.method, req.num_method, req.cat_method, ...Object.values(req.per_column_method ?? {})];
  for (const m of methods) {
    if (m !== undefined && !known.has(m)) throw new CairnError('INVALID_PARAMETER_VALUE', `No stattest named '${m}'. Available: ${[...known].join(', ')}.`);
  }
  const thresholds = [req.threshold, req.num_threshold, req.cat_threshold, ...Object.values(req.per_column_threshold ?? {})];
  for (const t of thresholds) {
    if (t !== undefined && !(typeof t === 'number' && Number.isFinite(t))) throw new CairnError('INVALID_PARAMETER_VALUE', `Thresholds must be finite numbers (got ${String(t)}).`);
  }
  const driftShare = req.drift_share ?? DEFAULT_DRIFT_SHARE;
  if (!(driftShare >= 0 && driftShare <= 1)) throw new CairnError('INVALID_PARAMETER_VALUE', `drift_share must be between 0 and 1 (got ${driftShare}).`);
  const exactLimit = req.exact_limit ?? DEFAULT_EXACT_LIMIT;
  if (!Number.isInteger(exactLimit) || exactLimit < 1000) throw new CairnError('INVALID_PARAMETER_VALUE', `exact_limit must be an integer >= 1000 (got ${exactLimit}).`);
  return {
    methodFor: (column, type) => req.per_column_method?.[column] ?? (type === 'num' ? req.num_method : req.cat_method) ?? req.method,
    thresholdFor: (column, type) => req.per_column_threshold?.[column] ?? (type === 'num' ? req.num_threshold : req.cat_threshold) ?? req.threshold,
    driftShare,
    exactLimit,
  };
}
