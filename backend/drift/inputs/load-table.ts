// Scans a table once, inferring each column's dtype as pandas would from the first rows and
// accumulating its values with bounded memory. A later cell that contradicts the inferred dtype
// (text in a numeric column) restarts the scan with that column read as text.
import type { CategoryKey } from '../column-pair';
import { type Cell, isNaText, readTextCell, readValueCell } from './cells';
import { CategoricalAccumulator, NumericAccumulator } from './column-accumulator';
import type { TableBatch, TableReader } from './table-reader';

export type Dtype = 'int' | 'float' | 'bool' | 'string' | 'datetime';
/** numcat: a numeric column declared categorical (pandas keeps its values as numbers). */
type Kind = 'numeric' | 'numcat' | 'bool' | 'string' | 'datetime';

export interface LoadedColumn {
  name: string;
  dtype: Dtype;
  rows: number;
  missing: number;
  numeric?: NumericAccumulator;
  categorical?: CategoricalAccumulator;
}

export interface LoadedTable {
  description: string;
  rows: number;
  columns: Map<string, LoadedColumn>;
}

export interface LoadOptions {
  /** Values kept per column before switching to sketches. */
  exactLimit: number;
  /** Only these columns (all when absent). */
  columns?: ReadonlySet<string>;
  /** Columns to read as categories whatever they hold. */
  categorical?: ReadonlySet<string>;
}

const INFER_ROWS = 10_000;

class Restart extends Error {
  constructor(readonly column: string) {
    super(`restart: ${column}`);
  }
}

export async function loadTable(reader: TableReader, opts: LoadOptions): Promise<LoadedTable> {
  const asText = new Set<string>();
  for (;;) {
    try {
      return await scanOnce(reader, opts, asText);
    } catch (err) {
      if (!(err instanceof Restart)) throw err;
      asText.add(err.column);
    }
  }
}

function kindOf(cells: Cell[], forcedText: boolean, declaredCategorical = false): Kind {
  if (forcedText) return 'string';
  if (declaredCategorical) {
    const natural = kindOf(cells, false);
    return natural === 'numeric' ? 'numcat' : natural === 'bool' ? 'bool' : 'string';
  }
  let numbers = 0;
  let bools = 0;
  let dates = 0;
  let strings = 0;
  for (const c of cells) {
    if (c.kind === 'number') numbers++;
    else if (c.kind === 'bool') bools++;
    else if (c.kind === 'date') dates++;
    else if (c.kind === 'string') strings++;
  }
  if (strings || (numbers && (bools || dates)) || (bools && dates)) return 'string';
  if (bools) return 'bool';
  if (dates) return 'datetime';
  return 'numeric'; // numbers only, or nothing but missing values (pandas: float64)
}

async function scanOnce(reader: TableReader, opts: LoadOptions, asText: ReadonlySet<string>): Promise<LoadedTable> {
  const read = reader.textCells ? (v: unknown) => readTextCell(v as string) : readValueCell;
  const columns = new Map<string, LoadedColumn & { kind: Kind }>();
  const pending: TableBatch[] = [];
  let pendingRows = 0;
  let rows = 0;
  let inferred = false;

  const addColumn = (name: string, kind: Kind, missingBefore: number) => {
    const col: LoadedColumn & { kind: Kind } = { name, kind, dtype: 'float', rows: 0, missing: 0 };
    if (kind === 'numeric') col.numeric = new NumericAccumulator(opts.exactLimit);
    else if (kind !== 'datetime') col.categorical = new CategoricalAccumulator(opts.exactLimit);
    col.rows = missingBefore;
    col.missing = missingBefore;
    col.numeric?.addMissing(missingBefore);
    col.categorical?.addMissing(missingBefore);
    columns.set(name, col);
    return col;
  };

  const consume = (batch: TableBatch) => {
    for (let c = 0; c < batch.columns.length; c++) {
      const name = batch.columns[c]!;
      if (opts.columns && !opts.columns.has(name)) continue;
      let col = columns.get(name);
      const data = batch.data[c]!;
      if (!col) {
        const cells: Cell[] = [];
        for (let r = 0; r < batch.rows; r++) cells.push(read(data[r]));
        col = addColumn(name, kindOf(cells, asText.has(name), opts.categorical?.has(name)), rows);
      }
      accumulate(col, data, batch.rows, read, reader.textCells);
    }
    rows += batch.rows;
    for (const col of columns.values()) {
      if (col.rows < rows) {
        const gap = rows - col.rows;
        col.rows = rows;
        col.missing += gap;
        col.numeric?.addMissing(gap);
        col.categorical?.addMissing(gap);
      }
    }
  };

  const inferFromPending = () => {
    inferred = true;
    const names: string[] = [];
    for (const b of pending) for (const n of b.columns) if (!names.includes(n)) names.push(n);
    for (const name of names) {
      if (opts.columns && !opts.columns.has(name)) continue;
      const cells: Cell[] = [];
      for (const b of pending) {
        const c = b.columns.indexOf(name);
        if (c < 0) continue;
        for (let r = 0; r < b.rows; r++) cells.push(read(b.data[c]![r]));
      }
      addColumn(name, kindOf(cells, asText.has(name), opts.categorical?.has(name)), 0);
    }
    for (const b of pending) consume(b);
    pending.length = 0;
  };

  await reader.scan((batch) => {
    if (inferred) return consume(batch);
    pending.push(batch);
    pendingRows += batch.rows;
    if (pendingRows >= INFER_ROWS) inferFromPending();
  }, opts.columns);
  if (!inferred) inferFromPending();

  const out = new Map<string, LoadedColumn>();
  for (const [name, col] of columns) {
    const { kind, ...rest } = col;
    rest.dtype = kind === 'numeric' ? (col.numeric!.integerDtype && col.numeric!.count > 0 ? 'int' : 'float') : kind === 'numcat' ? 'string' : kind;
    out.set(name, rest);
  }
  return { description: reader.description, rows, columns: out };
}

function accumulate(col: LoadedColumn & { kind: Kind }, data: ArrayLike<unknown>, n: number, read: (v: unknown) => Cell, textCells: boolean): void {
  col.rows += n;
  if (col.kind === 'numeric') {
    const acc = col.numeric!;
    for (let r = 0; r < n; r++) {
      const raw = data[r];
      // fast path for typed numbers
      if (typeof raw === 'number' && raw === raw) {
        acc.add(raw, Number.isInteger(raw));
        continue;
      }
      if (typeof raw === 'string' && looksNumeric(raw)) {
        const v = +raw;
        if (v === v) {
          acc.add(v, raw.indexOf('.') < 0 && raw.indexOf('e') < 0 && raw.indexOf('E') < 0);
          continue;
        }
      }
      const cell = read(raw);
      if (cell.kind === 'number') acc.add(cell.value, cell.integer);
      else if (cell.kind === 'missing') {
        acc.addMissing();
        col.missing++;
      } else throw new Restart(col.name);
    }
    return;
  }
  if (col.kind === 'datetime') {
    for (let r = 0; r < n; r++) {
      const cell = read(data[r]);
      if (cell.kind === 'missing') col.missing++;
      else if (cell.kind !== 'date') throw new Restart(col.name);
    }
    return;
  }
  const acc = col.categorical!;
  for (let r = 0; r < n; r++) {
    const raw = data[r];
    if (textCells && col.kind === 'string') {
      // CSV text column: only the NA strings matter
      if (isNaText(raw as string)) {
        acc.addMissing();
        col.missing++;
      } else acc.add(raw as string);
      continue;
    }
    const cell = read(raw);
    if (cell.kind === 'missing') {
      acc.addMissing();
      col.missing++;
      continue;
    }
    if (col.kind === 'bool' && cell.kind !== 'bool') throw new Restart(col.name);
    if (col.kind === 'numcat') {
      if (cell.kind !== 'number') throw new Restart(col.name);
      acc.add(cell.value);
      continue;
    }
    acc.add(keyOf(cell, raw, textCells, col.kind === 'bool'));
  }
}

/** A digit, sign or dot first: worth trying `+s` (which then rejects what is not a number). */
function looksNumeric(s: string): boolean {
  const c = s.charCodeAt(0);
  if (!((c >= 48 && c <= 57) || c === 45 || c === 46 || c === 43)) return false;
  const d = s.charCodeAt(1) | 0x20; // 0x…, 0b…, 0o… are text for pandas
  return d !== 0x78 && d !== 0x62 && d !== 0x6f;
}

/** The category a cell counts as: CSV text stays text (pandas object columns), typed values stay typed. */
function keyOf(cell: Cell, raw: unknown, textCells: boolean, boolColumn: boolean): CategoryKey {
  if (boolColumn && cell.kind === 'bool') return cell.value;
  if (textCells) return raw as string;
  if (cell.kind === 'number' || cell.kind === 'bool') return cell.value;
  if (cell.kind === 'date') return cell.text;
  return (cell as { value: string }).value;
}
