/** Rows of a table delivered column by column: data[c][r] is the raw cell of column c, row r. */
export interface TableBatch {
  columns: string[];
  rows: number;
  data: ArrayLike<unknown>[];
}

/** A table that can be scanned (more than once) in batches, whatever its format. */
export interface TableReader {
  /** Human-readable origin, e.g. a path. */
  readonly description: string;
  /** `true` when cells are raw CSV text that still needs parsing (pandas-like rules). */
  readonly textCells: boolean;
  /** `columns` is a hint: readers that can skip the others (Parquet) do. */
  scan(onBatch: (batch: TableBatch) => void, columns?: ReadonlySet<string>): Promise<void>;
}

export const BATCH_ROWS = 16384;
