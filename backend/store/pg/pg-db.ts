import pg from 'pg';
import { currentActor } from '../../auth/actor';
import { CairnError } from '../../core/errors';

export type PgParam = string | number | boolean | null | readonly (string | number | boolean | null)[];
type Row = Record<string, unknown>;

/** Statements of one transaction. */
export interface PgTx {
  query<T = Row>(sql: string, params?: PgParam[]): Promise<T[]>;
  one<T = Row>(sql: string, params?: PgParam[]): Promise<T | undefined>;
  /** Rows changed by the last statement. */
  changes(): number;
  /** Rows changed by every statement of this transaction so far. */
  totalChanges(): number;
}

export interface PgDbOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Schema holding Cairn's tables (default `public`); created if missing. */
  schema?: string;
  maxConnections?: number;
  log?: (msg: string) => void;
}

const INT8 = 20;
const NUMERIC = 1700;
// Timestamps, steps and ids are BIGINT; every value Cairn stores fits a double exactly.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock

/**
 * Session settings of Cairn's connections. Its queries read one page through an index and stop;
 * parallel workers only add start-up cost to those (often more than the query itself).
 */
const sessionOptions = (schema: string) => `-c search_path=${schema} -c max_parallel_workers_per_gather=0`;

/**
 * A PostgreSQL connection pool for Cairn's tables. Every write goes through `write(action, target,
 * fn)`: one transaction that also appends who made it (the request's actor) to `audit_log`, so the
 * record of a change commits or vanishes with the change itself.
 */
export class PgDb {
  readonly schema: string;
  private closed = false;

  private constructor(
    readonly pool: pg.Pool,
    readonly opts: PgDbOptions,
  ) {
    this.schema = opts.schema ?? 'public';
  }

  static async connect(opts: PgDbOptions): Promise<PgDb> {
    const schema = opts.schema ?? 'public';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new CairnError('INVALID_PARAMETER_VALUE', `Invalid schema name '${schema}'.`);
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.maxConnections ?? 10,
      types,
      options: sessionOptions(schema),
      application_name: 'cairn',
    });
    pool.on('error', (err) => opts.log?.(`postgres: idle connection error: ${err.message}`));
    const db = new PgDb(pool, opts);
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (err) {
      await pool.end();
      throw unavailable(err, opts.url);
    }
    return db;
  }

  /** A connection string for clients that need their own connection (LISTEN). */
  get url(): string {
    return this.opts.url;
  }

  /** Options a dedicated `pg.Client` needs to see the same tables and types. */
  clientConfig(): pg.ClientConfig {
    return { connectionString: this.opts.url, types, options: sessionOptions(this.schema), application_name: 'cairn-listen' };
  }

  async query<T = Row>(sql: string, params: PgParam[] = []): Promise<T[]> {
    try {
      return (await this.pool.query(sql, params as unknown[])).rows as T[];
    } catch (err) {
      throw mapError(err, this.opts.url);
    }
  }

  /**
   * A hot statement of fixed text, prepared once per connection under `name`: PostgreSQL then
   * skips parsing and planning it on every call.
   */
  async prepared<T = Row>(name: string, sql: string, params: PgParam[] = []): Promise<T[]> {
    try {
      return (await this.pool.query({ name, text: sql, values: params as unknown[] })).rows as T[];
    } catch (err) {
      throw mapError(err, this.opts.url);
    }
  }

  async one<T = Row>(sql: string, params: PgParam[] = []): Promise<T | undefined> {
    return (await this.query<T>(sql, params))[0];
  }

  /**
   * Runs `fn` in one transaction, retried on serialization failures and deadlocks. If any statement
   * changed a row, the actor, action and target go to `audit_log` in the same transaction.
   */
  async write<T>(action: string, target: string, fn: (tx: PgTx) => Promise<T>): Promise<T> {
    if (this.closed) throw new CairnError('TEMPORARILY_UNAVAILABLE', 'the store is closed');
    for (let attempt = 0; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (err) {
        throw unavailable(err, this.opts.url);
      }
      let changed = 0;
      let last = 0;
      const run = async <R>(sql: string, params: PgParam[] = []): Promise<R[]> => {
        const res = await client.query(sql, params as unknown[]);
        last = res.rowCount ?? 0;
        if (res.command !== 'SELECT') changed += last;
        return res.rows as R[];
      };
      const tx: PgTx = {
        query: run,
        one: async (sql, params) => (await run(sql, params))[0] as never,
        changes: () => last,
        totalChanges: () => changed,
      };
      try {
        await client.query('BEGIN');
        const result = await fn(tx);
        if (changed > 0) await client.query('INSERT INTO audit_log (at, actor, role, action, target) VALUES ($1, $2, $3, $4, $5)', [...auditWho(), action, target]);
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        client.release();
        const code = (err as { code?: string }).code;
        if (code && RETRYABLE.has(code) && attempt < 4) continue;
        throw mapError(err, this.opts.url);
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/** `at, actor, role` of an audit_log row for the current request. */
export function auditWho(): [number, string, string] {
  const actor = currentActor();
  return [Date.now(), actor?.user ?? 'system', actor?.role ?? 'admin'];
}

/** `postgres://user:secret@host/db` without the secret, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparsable database URL>';
  }
}

function unavailable(err: unknown, url: string): CairnError {
  return new CairnError('TEMPORARILY_UNAVAILABLE', `PostgreSQL at ${redactUrl(url)} cannot be used: ${(err as Error).message}`);
}

/** Keeps CairnErrors; connection failures become 503 (clients retry); everything else stays a fault. */
function mapError(err: unknown, url: string): unknown {
  if (err instanceof CairnError) return err;
  const code = (err as { code?: string }).code ?? '';
  if (code.startsWith('08') || code === '57P01' || code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT') return unavailable(err, url);
  return err;
}
