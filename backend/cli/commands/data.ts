import { BackendError } from '../../client/cairn-client';
import { UsageError, type Command } from '../command';
import { dataAddCommand } from './data/add';
import { dataCheckoutCommand } from './data/checkout';
import { dataDiffCommand } from './data/diff';
import { dataGcCommand } from './data/gc';
import { dataLogCommand } from './data/log';
import { dataStatusCommand } from './data/status';
import { dataPullCommand, dataPushCommand } from './data/transfer';
import { dataVerifyCommand } from './data/verify';

const SUBCOMMANDS: Command[] = [dataAddCommand, dataStatusCommand, dataCheckoutCommand, dataDiffCommand, dataLogCommand, dataPushCommand, dataPullCommand, dataVerifyCommand, dataGcCommand];

const width = Math.max(...SUBCOMMANDS.map((c) => c.name.length));

/** `cairn data <subcommand>`: dataset versioning. */
export const dataCommand: Command = {
  name: 'data',
  summary: 'Version datasets: add, status, checkout, diff, log, push, pull, verify, gc',
  usage: [
    'cairn data <subcommand> [options]',
    '',
    ...SUBCOMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Each subcommand:',
    '',
    ...SUBCOMMANDS.map((c) => `${c.usage}\n`),
    'Content lives in the workspace store (.cairn/objects, shared by all git worktrees of the repository);',
    'pointer files (PATH.cairn) go into git.',
  ].join('\n'),
  async run(argv) {
    const [name, ...rest] = argv;
    const sub = SUBCOMMANDS.find((c) => c.name === name);
    if (!sub) throw new UsageError(name ? `unknown data subcommand '${name}'` : 'name a data subcommand');
    try {
      return await sub.run(rest);
    } catch (err) {
      if (err instanceof BackendError) {
        process.stderr.write(`cairn data ${sub.name}: ${err.message}\n`);
        return 1;
      }
      const code = (err as { code?: string }).code;
      if (!(err instanceof UsageError) && code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && code !== 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw err;
      // The subcommand's own usage, not the whole list.
      process.stderr.write(`cairn data ${sub.name}: ${(err as Error).message}\n\nUsage: ${sub.usage}\n`);
      return 2;
    }
  },
};
