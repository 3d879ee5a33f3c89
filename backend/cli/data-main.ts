import { dataCommand } from './commands/data';
import { runCli } from './run-cli';

/** `cairn data …` alone (`dist/cli-data.js`, which `dist/cli.js` loads for it). */
export const main = (argv: string[]): Promise<number> => runCli(argv, [dataCommand]);
