import { CairnError } from '../core/errors';
import { CAIRN_VERSION } from '../core/version';
import { UsageError, type Command } from './command';

function help(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `cairn ${CAIRN_VERSION} — MLOps in your editor`,
    '',
    'Usage: cairn <command> [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'cairn <command> --help' for a command's options.",
  ].join('\n');
}

/** Runs `cairn <argv>` with the given commands; returns the exit code. */
export async function runCli(argv: string[], commands: Command[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(help(commands) + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`${CAIRN_VERSION}\n`);
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`cairn: unknown command '${name}'\n\n${help(commands)}\n`);
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
