import type { AuditEntry } from '../api/team';
import type { PgDb } from '../store/pg/pg-db';

/** Reads the audit log that every team-mode write appends to (see PgDb.write). */
export async function readAuditLog(db: PgDb, q: { actor?: string; afterId?: number; limit: number }): Promise<AuditEntry[]> {
  const where: string[] = ['id > $1'];
  const params: (string | number)[] = [q.afterId ?? 0];
  if (q.actor) {
    params.push(q.actor);
    where.push(`actor = $${params.length}`);
  }
  params.push(q.limit);
  return db.query<AuditEntry>(`SELECT id, at, actor, role, action, target FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id LIMIT $${params.length}`, params);
}
