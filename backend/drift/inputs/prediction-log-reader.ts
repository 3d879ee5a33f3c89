import { CairnError } from '../../core/errors';
import { predictionOf, type PredictionLogSource } from '../../quality/prediction-log';
import { BATCH_ROWS, type TableBatch, type TableReader } from './table-reader';

/**
 * A deployment's traffic over a time window as a table: one row per predicted row, its input
 * columns plus `prediction` (the model's output), so prediction drift is one more column.
 */
export class PredictionLogReader implements TableReader {
  readonly textCells = false;
  constructor(
    private readonly log: PredictionLogSource,
    private readonly window: { start?: number; end?: number },
  ) {}

  get description(): string {
    const w = this.window;
    return `${this.log.description}${w.start !== undefined || w.end !== undefined ? ` [${w.start ? new Date(w.start).toISOString() : '…'}, ${w.end ? new Date(w.end).toISOString() : '…'})` : ''}`;
  }

  async scan(onBatch: (batch: TableBatch) => void): Promise<void> {
    const columns: string[] = [];
    const index = new Map<string, number>();
    let data: unknown[][] = [];
    let rows = 0;
    const flush = () => {
      if (rows) onBatch({ columns: [...columns], rows, data });
      data = columns.map(() => []);
      rows = 0;
    };
    const put = (name: string, value: unknown) => {
      let c = index.get(name);
      if (c === undefined) {
        index.set(name, (c = columns.length));
        columns.push(name);
        data.push(new Array(rows).fill(null));
      }
      data[c]![rows] = value;
    };
    let any = false;
    for await (const rec of this.log.predictions(this.window)) {
      any = true;
      rec.inputs.forEach((input, i) => {
        for (const c of data) c[rows] = null;
        for (const [k, v] of Object.entries(input)) put(k, v);
        const out = rec.outputs[i];
        if (out) put('prediction', predictionOf(out));
        rows++;
        if (rows === BATCH_ROWS) flush();
      });
    }
    if (!any) throw new CairnError('INVALID_PARAMETER_VALUE', `No predictions logged in ${this.description}.`);
    flush();
  }
}
