import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command';
import { table, TEAM_DB_OPTIONS, withUserStore } from '../team-db';

export const tokensCommand: Command = {
  name: 'tokens',
  summary: 'Create, list and revoke personal tokens of a team backend',
  usage: `cairn tokens create USER [--label TEXT] --db URL
cairn tokens list [USER] --db URL
cairn tokens revoke TOKEN_OR_ID --db URL

  create    prints a new token for USER: use it as MLFLOW_TRACKING_TOKEN (Bearer), or as the
            password of Basic auth with MLFLOW_TRACKING_USERNAME=USER
  revoke    the token stops working on every replica with the next request
  --db URL  the team database (default $CAIRN_DB); --db-schema NAME if not public`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { ...TEAM_DB_OPTIONS, label: { type: 'string' } }, allowPositionals: true, strict: true });
    const [action, arg, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    if (action === 'list') {
      const tokens = await withUserStore(values, (u) => u.listTokens(arg));
      const rows = [['ID', 'USER', 'LABEL', 'CREATED', 'REVOKED']];
      for (const t of tokens) rows.push([t.id, t.user, t.label, new Date(Number(t.created_at)).toISOString(), t.revoked_at ? new Date(Number(t.revoked_at)).toISOString() : '-']);
      process.stdout.write(table(rows));
      return 0;
    }
    if (!arg) throw new UsageError(`'cairn tokens ${action ?? ''}' needs an argument`);
    if (action === 'create') {
      const t = await withUserStore(values, (u) => u.createToken(arg, values.label ?? ''));
      process.stdout.write(`token ${t.id} for ${arg}: ${t.token}\n`);
      return 0;
    }
    if (action === 'revoke') {
      const t = await withUserStore(values, (u) => u.revokeToken(arg));
      process.stdout.write(`revoked token ${t.id} of ${t.user}\n`);
      return 0;
    }
    throw new UsageError(`unknown action '${action ?? ''}' (expected create, list or revoke)`);
  },
};
