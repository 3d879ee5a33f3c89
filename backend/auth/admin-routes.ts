import type { TokenInfo, UserInfo, WhoAmI } from '../api/team';
import { invalidParam } from '../core/errors';
import type { Route } from '../server/router';
import type { PgDb } from '../store/pg/pg-db';
import { currentActor, parseRole } from './actor';
import { ADMIN_PREFIX } from './access-policy';
import { readAuditLog } from './audit-log';
import type { UserStore } from './user-store';

/** Team mode: `whoami`, and user, token and audit-log administration (admins only, see access-policy). */
export function adminRoutes(users: UserStore, db: PgDb): Route[] {
  const admin = ADMIN_PREFIX.replace(/\/$/, '');
  return [
    {
      method: 'GET',
      path: '/api/cairn/v1/whoami',
      handler: (): WhoAmI => {
        const a = currentActor();
        return { user: a?.user ?? 'anonymous', role: a?.role ?? 'admin' };
      },
    },
    { method: 'GET', path: `${admin}/users`, handler: async (): Promise<{ users: UserInfo[] }> => ({ users: await users.listUsers() }) },
    {
      method: 'POST',
      path: `${admin}/users`,
      handler: async (ctx) => {
        const m = await ctx.message();
        const name = m.nonEmpty('name');
        await users.addUser(name, parseRole(m.optString('role') ?? 'reader'), m.optString('password') || undefined);
        return m.optBool('create_token') ? { token: (await users.createToken(name, 'initial')).token } : {};
      },
    },
    {
      method: 'POST',
      path: `${admin}/users/revoke`,
      handler: async (ctx) => {
        await users.revokeUser((await ctx.message()).nonEmpty('name'));
        return {};
      },
    },
    {
      method: 'POST',
      path: `${admin}/tokens`,
      handler: async (ctx) => {
        const m = await ctx.message();
        return users.createToken(m.nonEmpty('user'), m.optString('label') ?? '');
      },
    },
    {
      method: 'POST',
      path: `${admin}/tokens/revoke`,
      handler: async (ctx): Promise<{ token: TokenInfo }> => ({ token: await users.revokeToken((await ctx.message()).nonEmpty('token')) }),
    },
    {
      method: 'GET',
      path: `${admin}/audit`,
      handler: async (ctx) => {
        const m = await ctx.message();
        const limit = m.optInt('max_results', { min: 1 }) ?? 1000;
        if (limit > 10_000) throw invalidParam(`'max_results' must be at most 10000, got ${limit}.`);
        return { entries: await readAuditLog(db, { actor: m.optString('actor'), afterId: m.optInt('after_id', { min: 0 }), limit }) };
      },
    },
  ];
}
