import { openSqlJsStore } from '../../../backend/store/sqljs/open-store';

export interface SeedOptions {
  experiment?: string;
  runs: number;
  name?: (i: number) => string;
}

export const SEED_T0 = 1_700_000_000_000;

/**
 * Writes `runs` finished runs straight into a store folder (before its server starts: HTTP would
 * take minutes for 10,000 runs). Run i: lr = 0.001·(i%10+1), layers = i%4+1, seed = 42 (the same
 * everywhere), accuracy = i/runs, loss = 1 − i/runs, started at SEED_T0 + i s.
 */
export async function seedStore(storeDir: string, opts: SeedOptions): Promise<{ experimentId: string; runIds: string[] }> {
  const meta = await openSqlJsStore(storeDir, { fsync: false });
  try {
    const experimentId = await meta.createExperiment({ name: opts.experiment ?? 'seeded' });
    const runIds: string[] = new Array(opts.runs);
    await Promise.all(
      Array.from({ length: opts.runs }, async (_, i) => {
        const t = SEED_T0 + i * 1000;
        const run = await meta.createRun({ experimentId, userId: 'seed', runName: opts.name?.(i) ?? `run-${String(i).padStart(5, '0')}`, startTime: t, tags: [] });
        runIds[i] = run.info.run_id;
        await meta.logBatch(run.info.run_id, {
          params: [
            { key: 'lr', value: String(Number((0.001 * ((i % 10) + 1)).toFixed(3))) },
            { key: 'layers', value: String((i % 4) + 1) },
            { key: 'seed', value: '42' },
          ],
          tags: [],
          latest: [
            { key: 'accuracy', value: i / opts.runs, timestamp: t, step: 0 },
            { key: 'loss', value: 1 - i / opts.runs, timestamp: t, step: 0 },
          ],
        });
        await meta.updateRun(run.info.run_id, { status: 'FINISHED', endTime: t + 60_000 });
      }),
    );
    return { experimentId, runIds };
  } finally {
    await meta.close();
  }
}
