import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command';
import { connect } from '../backend-connection';
import { printDeployment } from './deploy';

export const deploymentsCommand: Command = {
  name: 'deployments',
  summary: 'List deployments with their version, state and traffic',
  usage: 'cairn deployments [--json]',
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, strict: true });
    const sc = await connect();
    const all = await sc.deployments();
    if (values.json) {
      process.stdout.write(JSON.stringify(all, null, 2) + '\n');
      return 0;
    }
    if (all.length === 0) process.stdout.write('no deployments (cairn deploy NAME@ALIAS)\n');
    for (const d of all) {
      printDeployment(d, sc.client.url);
      process.stdout.write(`  ${d.stats.requests} requests, ${d.stats.req_per_s} req/s, p50 ${d.stats.p50_ms} ms, p99 ${d.stats.p99_ms} ms, mean batch ${d.stats.mean_batch_size}\n`);
    }
    return 0;
  },
};

export const undeployCommand: Command = {
  name: 'undeploy',
  summary: 'Stop serving a deployment (its prediction log is kept)',
  usage: 'cairn undeploy D',
  async run(argv) {
    const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('expected one deployment name');
    await (await connect()).undeploy(positionals[0]!);
    process.stdout.write(`undeployed ${positionals[0]}\n`);
    return 0;
  },
};

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'Serve the version a deployment served before its last switch',
  usage: 'cairn rollback D\n\nPins the deployment to its previous version (it stops following its alias until you deploy again).',
  async run(argv) {
    const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('expected one deployment name');
    const sc = await connect();
    printDeployment(await sc.rollback(positionals[0]!), sc.client.url);
    return 0;
  },
};
