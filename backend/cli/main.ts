import { CairnError } from '../core/errors';
import { CAIRN_VERSION } from '../core/version';
import { UsageError, type Command } from './command';
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

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `cairn ${CAIRN_VERSION} — MLOps in your editor`,
    '',
    'Usage: cairn <command> [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'cairn <command> --help' for a command's options.",
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(help() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`${CAIRN_VERSION}\n`);
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`cairn: unknown command '${name}'\n\n${help()}\n`);
    return 2;
  }
  // Options after `--` belong to the command a subcommand runs (`cairn run -- python x.py --help`).
  const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (own.includes('--help') || own.includes('-h')) {
    process.stdout.write(cmd.usage + '\n');
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (err as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      process.stderr.write(`cairn ${name}: ${(err as Error).message}\n\nUsage: ${cmd.usage}\n`);
      return 2;
    }
    if (err instanceof CairnError || (err as Error).name === 'BackendError') {
      process.stderr.write(`cairn ${name}: ${(err as Error).message}\n`);
      return 1;
    }
    process.stderr.write(`cairn ${name}: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
