import type { Run } from '../../../backend/api/mlflow';
import type { CommandId } from '../command-ids';
import type { CairnCommand, CairnServices } from '../command';
import { runsFromArgs } from '../run-args';

/**
 * The shape shared by star/unstar/rename/note/tag: pick runs, ask for a value, write tags.
 * `ask` returns the tag writes, or undefined to cancel.
 */
export function tagCommand(
  id: CommandId,
  opts: { multi: boolean; title: string; ask: (s: CairnServices, runs: Run[], args: unknown[]) => Promise<{ key: string; value: string }[] | undefined> | { key: string; value: string }[] | undefined },
): CairnCommand {
  return {
    id,
    async run(s, ...args) {
      const runs = await runsFromArgs(s, args, { min: 1, max: opts.multi ? undefined : 1, title: opts.title });
      if (!runs?.length) return undefined;
      const writes = await opts.ask(s, runs, args);
      if (!writes) return undefined;
      const client = await s.backend.ready();
      for (const run of runs) for (const w of writes) await client.setTag(run.info.run_id, w.key, w.value);
      return runs.map((r) => r.info.run_id);
    },
  };
}

/** The first string argument after the run arguments (tests and webviews pass values directly). */
export function valueArg(args: unknown[], index = 1): string | undefined {
  const v = args[index];
  return typeof v === 'string' ? v : undefined;
}
