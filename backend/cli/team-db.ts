import * as os from 'node:os';
import { runAs } from '../auth/actor';
import { UserStore } from '../auth/user-store';
import { openPgStores } from '../store/pg/open-store';
import { UsageError } from './command';

export const TEAM_DB_OPTIONS = {
  db: { type: 'string' },
  'db-schema': { type: 'string' },
} as const;

/**
 * Runs `fn` against the team database given by --db (or $CAIRN_DB), as the local OS user: what
 * it changes is recorded in the audit log as `cli:<user>`.
 */
export async function withUserStore<T>(values: { db?: string; 'db-schema'?: string }, fn: (users: UserStore) => Promise<T>): Promise<T> {
  const url = values.db ?? (process.env['CAIRN_DB'] || undefined);
  if (!url) throw new UsageError('the team database is required: --db postgres://user:password@host/db (or $CAIRN_DB)');
  const stores = await openPgStores({ url, schema: values['db-schema'], maxConnections: 2 });
  try {
    return await runAs({ user: `cli:${os.userInfo().username}`, role: 'admin' }, () => fn(new UserStore(stores.db)));
  } finally {
    await stores.close();
  }
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
