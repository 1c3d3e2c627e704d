import type { Queryable } from '../db/pool.js';

/** A hall's raw `settings` jsonb (null when the hall does not exist). */
export async function hallSettings(db: Queryable, hallId: number): Promise<unknown> {
  const { rows } = await db.query<{ settings: unknown }>('SELECT settings FROM halls WHERE id = $1', [hallId]);
  return rows[0]?.settings ?? null;
}

/** Merges voice fields into `halls.settings`; returns the merged settings. */
export async function mergeHallSettings(db: Queryable, hallId: number, patch: Record<string, unknown>): Promise<unknown> {
  const { rows } = await db.query<{ settings: unknown }>('UPDATE halls SET settings = settings || $2::jsonb WHERE id = $1 RETURNING settings', [
    hallId,
    JSON.stringify(patch),
  ]);
  return rows[0]?.settings ?? null;
}

export interface CallRow {
  number: string;
  recall: boolean;
  counter_number: number;
  counter_name: string;
  service_name: string;
}

/** The `nth` call (1-based, in call order) of a ticket of the hall, with what its announcement says. */
export async function findCall(db: Queryable, hallId: number, ticketId: number, nth: number): Promise<CallRow | null> {
  const { rows } = await db.query<CallRow>(
    `SELECT t.number, c.recall, co.number AS counter_number, co.name AS counter_name, s.name AS service_name
       FROM calls c
       JOIN tickets t ON t.id = c.ticket_id
       JOIN counters co ON co.id = c.counter_id
       JOIN services s ON s.id = t.service_id
      WHERE c.ticket_id = $2 AND c.hall_id = $1
      ORDER BY c.id
      OFFSET $3 LIMIT 1`,
    [hallId, ticketId, nth - 1],
  );
  return rows[0] ?? null;
}

export async function hallIds(db: Queryable): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM halls ORDER BY id');
  return rows.map((r) => r.id);
}
