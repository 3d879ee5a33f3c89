import { parseArgs } from 'node:util';
import type { DeploymentStatus } from '../../api/serving';
import { UsageError, type Command } from '../command';
import { connect } from '../backend-connection';

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'Serve a registered model version (OIP v2 and MLflow /invocations)',
  usage: `cairn deploy NAME@ALIAS|NAME/VERSION [--name D] [--canary-percent P] [--no-batching]
             [--max-batch-size N] [--max-delay-ms MS] [--log-sample-rate R]

  NAME@ALIAS follows the alias: when it moves, the new version is loaded, warmed up, and takes the
  traffic while the old one drains. NAME/VERSION pins a version.
  --name D               deployment name (default: the model name); deploying to an existing
                         deployment switches its version (or, with --canary-percent, adds a canary)
  --canary-percent P     send P% of requests to this version, the rest to the current one
  --no-batching          one predict call per request
  --max-batch-size N     rows per batch (default 64)
  --max-delay-ms MS      how long a lone request waits for company (default 0)
  --log-sample-rate R    fraction of requests written to the prediction log (default 1)`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        name: { type: 'string' },
        'canary-percent': { type: 'string' },
        'no-batching': { type: 'boolean' },
        'max-batch-size': { type: 'string' },
        'max-delay-ms': { type: 'string' },
        'log-sample-rate': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    const model = positionals[0];
    if (!model || positionals.length > 1) throw new UsageError('expected one model reference, NAME@ALIAS or NAME/VERSION');
    const num = (v: string | undefined, flag: string) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number, got '${v}'`);
      return n;
    };
    const batching = {
      ...(values['no-batching'] ? { enabled: false } : {}),
      ...(values['max-batch-size'] ? { max_batch_size: num(values['max-batch-size'], '--max-batch-size') } : {}),
      ...(values['max-delay-ms'] ? { max_delay_ms: num(values['max-delay-ms'], '--max-delay-ms') } : {}),
    };
    const sc = await connect();
    const d = await sc.deploy({
      model,
      name: values.name,
      config: {
        batching,
        ...(values['log-sample-rate'] ? { log_sample_rate: num(values['log-sample-rate'], '--log-sample-rate') } : {}),
        ...(values['canary-percent'] ? { canary_percent: num(values['canary-percent'], '--canary-percent') } : {}),
      },
    });
    printDeployment(d, sc.client.url);
    return 0;
  },
};

export function printDeployment(d: DeploymentStatus, url: string): void {
  const binding = d.alias ? `${d.model_name}@${d.alias}${d.follow ? '' : ' (pinned by rollback)'}` : d.model_name;
  process.stdout.write(
    [
      `${d.name}: ${binding} → version ${d.version}${d.canary_version ? `, canary ${d.canary_version} (${d.config.canary_percent}%)` : ''} [${d.state}]`,
      `  OIP v2:  POST ${url}${d.endpoints.oip}/infer`,
      `  MLflow:  POST ${url}${d.endpoints.invocations}`,
    ].join('\n') + '\n',
  );
}
