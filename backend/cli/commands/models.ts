import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command';
import { connect } from '../backend-connection';

const USAGE = `cairn models <list | card NAME VERSION | promote NAME VERSION --alias A [--require GATE …] [--against ALIAS]>

  list                         registered models with their aliases and latest versions
  card NAME VERSION            the version's lineage: run, commit, data, metrics, signature (JSON)
  promote NAME VERSION         move an alias to a version if every gate holds:
    --alias A                  the alias to move (e.g. champion)
    --require "GATE"           a condition on the version's run, repeatable, e.g.
                               "metrics.accuracy >= 0.9", "params.optimizer = 'adam'"
    --against ALIAS            the version must not be worse than the one holding ALIAS
                               (on the --require metrics, else on every shared metric)
  Exit code 1 and the failed gates when the promotion is refused.`;

export const modelsCommand: Command = {
  name: 'models',
  summary: 'Registered models: list, model card, gated promotion',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parseArgs({
      args: rest,
      options: { alias: { type: 'string' }, require: { type: 'string', multiple: true }, against: { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const sc = await connect();
    if (sub === 'list') {
      const models = await sc.searchRegisteredModels();
      if (values.json) process.stdout.write(JSON.stringify(models, null, 2) + '\n');
      for (const m of models) {
        const aliases = m.aliases.map((a) => `${a.alias}→v${a.version}`).join(' ');
        const latest = Math.max(0, ...m.latest_versions.map((v) => Number(v.version)));
        process.stdout.write(`${m.name}  latest v${latest}${aliases ? `  ${aliases}` : ''}\n`);
      }
      return 0;
    }
    const [name, version] = positionals;
    if (!name || !version) throw new UsageError(`'${sub ?? ''}' needs NAME VERSION`);
    if (sub === 'card') {
      process.stdout.write(JSON.stringify(await sc.modelCard(name, version), null, 2) + '\n');
      return 0;
    }
    if (sub !== 'promote') throw new UsageError(`unknown subcommand '${sub ?? ''}'`);
    if (!values.alias) throw new UsageError('promote needs --alias');
    const res = await sc.promote(name, version, { alias: values.alias, require: values.require ?? [], against: values.against });
    for (const c of res.checks) process.stdout.write(`  ${c.passed ? 'ok  ' : 'FAIL'}  ${c.gate}: ${c.detail}\n`);
    if (!res.promoted) {
      process.stderr.write(`cairn models promote: ${res.reason}\n`);
      return 1;
    }
    process.stdout.write(`${name}@${res.alias} → version ${res.version}${res.previous_version ? ` (was ${res.previous_version})` : ''}\n`);
    return 0;
  },
};
