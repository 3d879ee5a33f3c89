// Evidently's column typing (data_preprocessing._get_column_type): explicit lists win; integer
// columns with at most 5 distinct values are categorical; other numbers numerical; booleans and
// text categorical; datetimes are not tested.
import { CairnError } from '../core/errors';
import type { ColumnType } from './column-pair';
import { DISTINCT_CAP } from './inputs/column-accumulator';
import type { LoadedColumn } from './inputs/load-table';

export const NUMBER_UNIQUE_AS_CATEGORICAL = 5;

export type Typing = { type: ColumnType } | { skip: string };

export function distinctCount(col: LoadedColumn): number {
  if (col.numeric) return col.numeric.distinctCounts()?.size ?? DISTINCT_CAP + 1;
  return col.categorical?.counts.size ?? 0;
}

export function columnType(name: string, ref: LoadedColumn, cur: LoadedColumn, declared: { numerical: ReadonlySet<string>; categorical: ReadonlySet<string> }): Typing {
  const numericRef = ref.dtype === 'int' || ref.dtype === 'float';
  const numericCur = cur.dtype === 'int' || cur.dtype === 'float';
  if (declared.categorical.has(name)) return { type: 'cat' };
  if (declared.numerical.has(name)) {
    for (const [side, col, ok] of [['reference', ref, numericRef], ['current', cur, numericCur]] as const) {
      if (!ok) throw new CairnError('INVALID_PARAMETER_VALUE', `Column '${name}' in ${side} dataset should contain numerical values only (it holds ${col.dtype} values).`);
    }
    return { type: 'num' };
  }
  if (ref.dtype === 'datetime' || cur.dtype === 'datetime') {
    if (ref.dtype !== cur.dtype) throw mismatch(name, ref, cur);
    return { skip: 'datetime column (not tested for drift)' };
  }
  if (numericRef !== numericCur) {
    // Evidently falls back to the reference type and then rejects the other side.
    const side = numericRef ? 'current' : 'reference';
    if (numericRef) throw new CairnError('INVALID_PARAMETER_VALUE', `Column '${name}' in ${side} dataset should contain numerical values only (reference is ${ref.dtype}, current is ${cur.dtype}).`);
    throw mismatch(name, ref, cur);
  }
  if (numericRef) {
    // the current side's dtype decides (an int reference with a float current is float)
    if (cur.dtype === 'int' && ref.dtype === 'int') {
      const nunique = distinctCount(ref) || distinctCount(cur);
      return { type: nunique <= NUMBER_UNIQUE_AS_CATEGORICAL ? 'cat' : 'num' };
    }
    return { type: 'num' };
  }
  if (ref.categorical?.overflow || cur.categorical?.overflow) return { skip: 'more distinct values than a categorical column may have (100,000)' };
  return { type: 'cat' };
}

function mismatch(name: string, ref: LoadedColumn, cur: LoadedColumn): CairnError {
  return new CairnError('INVALID_PARAMETER_VALUE', `Column '${name}' has different types in reference (${ref.dtype}) and current (${cur.dtype}).`);
}
