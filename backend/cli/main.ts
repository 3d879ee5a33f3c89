import { CairnError } from '../core/errors';
import { CAIRN_VERSION } from '../core/version';
import { UsageError, type Command } from './command';
import { driftCommand } from './commands/drift';
import { monitorsCommand } from './commands/monitors';
import { pipelineCommand } from './commands/pipeline';
import { serverCommand } from './commands/server';

const COMMANDS: Command[] = [serverCommand, driftCommand, pipelineCommand, monitorsCommand];

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
  if (rest.includes('--help') || rest.includes('-h')) {
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
    if (err instanceof CairnError) {
      process.stderr.write(`cairn ${name}: ${err.message}\n`);
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
