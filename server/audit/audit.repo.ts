import type { Queryable } from '../db/pool.js';

export interface AuditEntry {
  hallId: number | null;
  at: Date;
  actorType: 'user' | 'device' | 'integration' | 'anonymous';
  actorId: number | null;
  actorName: string | null;
  action: string;
  target: string | null;
  status: number;
  ip: string | null;
}

export async function insertAuditEntries(db: Queryable, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  const cols = 9;
  const values: unknown[] = [];
  const rows = entries.map((e, i) => {
    values.push(e.hallId, e.at, e.actorType, e.actorId, e.actorName, e.action, e.target, e.status, e.ip);
    return `(${Array.from({ length: cols }, (_, j) => `$${i * cols + j + 1}`).join(', ')})`;
  });
  await db.query(`INSERT INTO audit_log (hall_id, at, actor_type, actor_id, actor_name, action, target, status, ip) VALUES ${rows.join(', ')}`, values);
}

export interface AuditRow {
  id: number;
  at: Date;
  actor_type: string;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  target: string | null;
  status: number;
  ip: string | null;
}

export async function listAudit(db: Queryable, hallId: number, q: { from: Date | null; to: Date | null; limit: number; beforeId: number | null }): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>(
    `SELECT id, at, actor_type, actor_id, actor_name, action, target, status, ip FROM audit_log
      WHERE hall_id = $1 AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at < $3) AND ($4::bigint IS NULL OR id < $4)
      ORDER BY id DESC LIMIT $5`,
    [hallId, q.from, q.to, q.beforeId, q.limit],
  );
  return rows;
}
