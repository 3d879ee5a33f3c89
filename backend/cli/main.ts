import type { Command } from './command';
import { runCli } from './run-cli';
import { dataCommand } from './commands/data';
import { driftCommand } from './commands/drift';
import { monitorsCommand } from './commands/monitors';
import { pipelineCommand } from './commands/pipeline';
import { runCommand } from './commands/run';
import { reproduceCommand } from './commands/reproduce';
import { serverCommand } from './commands/server';
import { usersCommand } from './commands/users';
import { tokensCommand } from './commands/tokens';
import { syncCommand } from './commands/sync';
import { modelsCommand } from './commands/models';
import { deployCommand } from './commands/deploy';
import { deploymentsCommand, rollbackCommand, undeployCommand } from './commands/deployments';
import { predictCommand } from './commands/predict';
import { exportCommand } from './commands/export';

const COMMANDS: Command[] = [serverCommand, runCommand, driftCommand, pipelineCommand, monitorsCommand];
COMMANDS.push(modelsCommand, deployCommand, undeployCommand, deploymentsCommand, rollbackCommand, predictCommand, exportCommand);
COMMANDS.push(dataCommand, reproduceCommand);
COMMANDS.push(usersCommand, tokensCommand, syncCommand);

export const main = (argv: string[]): Promise<number> => runCli(argv, COMMANDS);

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
