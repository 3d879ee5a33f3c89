import { createRequire } from 'node:module';
import * as path from 'node:path';

/**
 * `dist/cli.js`: loads only the bundle a command needs. `cairn data …` (status runs on every save in
 * the Datasets view, over folders of 100,000 files) must not pay for parsing and initialising the
 * server, the serving runtimes and the cloud SDKs that the full CLI bundles: that alone took most
 * of a second.
 */
const bundleFor = (argv: string[]) => path.join(__dirname, argv[0] === 'data' ? 'cli-data.js' : 'cli-main.js');

export function main(argv: string[]): Promise<number> {
  const cli = createRequire(__filename)(bundleFor(argv)) as { main(argv: string[]): Promise<number> };
  return cli.main(argv);
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
