import type { TokenInfo, UserInfo } from '../api/team';
import { alreadyExists, invalidParam, notFound } from '../core/errors';
import type { PgDb } from '../store/pg/pg-db';
import type { Actor, Role } from './actor';
import { hashPassword, newPersonalToken, parsePersonalToken, sameHex, sha256, verifyPassword } from './secrets';

const USER_NAME = /^[A-Za-z0-9][\w.@-]{0,127}$/;

function checkPassword(password: string): void {
  if (password.length < 8) throw invalidParam('A password must have at least 8 characters.');
}

/**
 * Users, their roles and personal tokens, in the team database. Every check reads the database, so
 * a revocation takes effect on the next request of every replica. Password checks (scrypt, slow on
 * purpose) are remembered per (user, password, stored hash), so the mlflow client's Basic auth
 * does not pay scrypt on every call; changing or revoking the password changes the stored hash.
 */
export class UserStore {
  private readonly verifiedPasswords = new Map<string, true>();

  constructor(private readonly db: PgDb) {}

  async addUser(name: string, role: Role, password?: string): Promise<void> {
    if (!USER_NAME.test(name)) throw invalidParam(`Invalid user name '${name}': letters, digits, '_', '.', '@', '-' (up to 128).`);
    if (password !== undefined) checkPassword(password);
    const hash = password ? await hashPassword(password) : null;
    await this.db.write('user.add', name, async (tx) => {
      await tx.query('INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING', [name, role, hash, Date.now()]);
      if (tx.changes() === 0) throw alreadyExists(`User '${name}' already exists.`);
    });
  }

  async setPassword(name: string, password: string): Promise<void> {
    checkPassword(password);
    const hash = await hashPassword(password);
    await this.db.write('user.set-password', name, async (tx) => {
      await tx.query('UPDATE users SET password_hash = $1 WHERE name = $2 AND revoked_at IS NULL', [hash, name]);
      if (tx.changes() === 0) throw notFound(`No active user '${name}'.`);
    });
  }

  async listUsers(): Promise<UserInfo[]> {
    return this.db.query<UserInfo>(
      `SELECT u.name, u.role, u.created_at, u.revoked_at, u.password_hash IS NOT NULL AS has_password,
         (SELECT count(*) FROM tokens t WHERE t.user_name = u.name AND t.revoked_at IS NULL)::int AS active_tokens
       FROM users u ORDER BY u.name`,
    );
  }

  /** Revokes a user and all their tokens. */
  async revokeUser(name: string): Promise<void> {
    const now = Date.now();
    await this.db.write('user.revoke', name, async (tx) => {
      await tx.query('UPDATE users SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL', [now, name]);
      if (tx.changes() === 0) throw notFound(`No active user '${name}'.`);
      await tx.query('UPDATE tokens SET revoked_at = $1 WHERE user_name = $2 AND revoked_at IS NULL', [now, name]);
    });
  }

  async createToken(user: string, label = ''): Promise<{ id: string; token: string }> {
    const t = newPersonalToken();
    await this.db.write('token.create', `${user}/${t.id}`, async (tx) => {
      const u = await tx.one('SELECT 1 AS x FROM users WHERE name = $1 AND revoked_at IS NULL FOR SHARE', [user]);
      if (!u) throw notFound(`No active user '${user}'.`);
      await tx.query('INSERT INTO tokens (id, secret_hash, user_name, label, created_at) VALUES ($1, $2, $3, $4, $5)', [t.id, t.secretHash, user, label, Date.now()]);
    });
    return { id: t.id, token: t.token };
  }

  /** Revokes a token given by its id or as the whole token. */
  async revokeToken(idOrToken: string): Promise<TokenInfo> {
    const id = parsePersonalToken(idOrToken)?.id ?? idOrToken;
    return this.db.write('token.revoke', id, async (tx) => {
      const row = await tx.one<{ user_name: string; label: string; created_at: number }>(
        'UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING user_name, label, created_at',
        [Date.now(), id],
      );
      if (!row) throw notFound(`No active token '${id}'.`);
      return { id, user: row.user_name, label: row.label, created_at: row.created_at, revoked_at: Date.now() };
    });
  }

  async listTokens(user?: string): Promise<TokenInfo[]> {
    return this.db.query<TokenInfo>(
      `SELECT id, user_name AS user, label, created_at, revoked_at FROM tokens ${user ? 'WHERE user_name = $1' : ''} ORDER BY created_at`,
      user ? [user] : [],
    );
  }

  /** The actor a personal token stands for, if it and its user are active. */
  async verifyToken(token: string): Promise<Actor | undefined> {
    const parsed = parsePersonalToken(token);
    if (!parsed) return undefined;
    const row = await this.db.one<{ secret_hash: string; name: string; role: Role }>(
      `SELECT t.secret_hash, u.name, u.role FROM tokens t JOIN users u ON u.name = t.user_name
       WHERE t.id = $1 AND t.revoked_at IS NULL AND u.revoked_at IS NULL`,
      [parsed.id],
    );
    return row && sameHex(row.secret_hash, parsed.secretHash) ? { user: row.name, role: row.role } : undefined;
  }

  async verifyPassword(name: string, password: string): Promise<Actor | undefined> {
    const row = await this.db.one<{ role: Role; password_hash: string | null }>('SELECT role, password_hash FROM users WHERE name = $1 AND revoked_at IS NULL', [name]);
    if (!row?.password_hash) return undefined;
    const cacheKey = sha256(`${name}\u0000${password}\u0000${row.password_hash}`);
    if (!this.verifiedPasswords.has(cacheKey)) {
      if (!(await verifyPassword(password, row.password_hash))) return undefined;
      if (this.verifiedPasswords.size > 10_000) this.verifiedPasswords.clear();
      this.verifiedPasswords.set(cacheKey, true);
    }
    return { user: name, role: row.role };
  }

  /** Whether anyone can sign in at all (a team server refuses to start otherwise). */
  async hasActiveCredentials(): Promise<boolean> {
    const row = await this.db.one(
      `SELECT 1 AS x FROM users u WHERE u.revoked_at IS NULL AND (u.password_hash IS NOT NULL
         OR EXISTS (SELECT 1 FROM tokens t WHERE t.user_name = u.name AND t.revoked_at IS NULL)) LIMIT 1`,
    );
    return row !== undefined;
  }
}
