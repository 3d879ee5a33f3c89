import { parseArgs } from 'node:util';
import { parseRole } from '../../auth/actor';
import { UsageError, type Command } from '../command';
import { readStdin, table, TEAM_DB_OPTIONS, withUserStore } from '../team-db';

const when = (ms: number | null) => (ms === null ? '-' : new Date(Number(ms)).toISOString().replace(/\.\d+Z$/, 'Z'));

export const usersCommand: Command = {
  name: 'users',
  summary: 'Manage the users of a team backend (add, list, revoke)',
  usage: `cairn users add NAME [--role reader|writer|admin] [--password-stdin] [--no-token] --db URL
cairn users list --db URL
cairn users revoke NAME --db URL

  add       creates the user (default role: reader) and prints a new personal token for them;
            --password-stdin also sets a password (Basic auth) read from standard input
  list      users, roles, whether they have a password, how many active tokens
  revoke    revokes the user and all their tokens, on every replica at once
  --db URL  the team database (default $CAIRN_DB); --db-schema NAME if not public`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...TEAM_DB_OPTIONS, role: { type: 'string' }, 'password-stdin': { type: 'boolean' }, 'no-token': { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const [action, name, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    if (action === 'list') {
      const users = await withUserStore(values, (u) => u.listUsers());
      const rows = [['NAME', 'ROLE', 'PASSWORD', 'TOKENS', 'CREATED', 'REVOKED']];
      for (const u of users) rows.push([u.name, u.role, u.has_password ? 'yes' : 'no', String(u.active_tokens), when(u.created_at), when(u.revoked_at)]);
      process.stdout.write(table(rows));
      return 0;
    }
    if (!name) throw new UsageError(`'cairn users ${action ?? ''}' needs a user name`);
    if (action === 'add') {
      const role = parseRole(values.role ?? 'reader');
      const password = values['password-stdin'] ? await readStdin() : undefined;
      const token = await withUserStore(values, async (u) => {
        await u.addUser(name, role, password);
        return values['no-token'] ? undefined : (await u.createToken(name, 'initial')).token;
      });
      process.stdout.write(`added user ${name} (${role})\n${token ? `token: ${token}\n` : ''}`);
      return 0;
    }
    if (action === 'revoke') {
      await withUserStore(values, (u) => u.revokeUser(name));
      process.stdout.write(`revoked user ${name} and all their tokens\n`);
      return 0;
    }
    throw new UsageError(`unknown action '${action ?? ''}' (expected add, list or revoke)`);
  },
};
