import type { Queryable } from '../db/pool.js';

export async function hallIdByCode(db: Queryable, code: string): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM halls WHERE code = $1', [code]);
  return rows[0]?.id ?? null;
}

export async function firstHallId(db: Queryable): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM halls ORDER BY id LIMIT 1');
  return rows[0]?.id ?? null;
}

export interface CounterStateRow {
  id: number;
  number: number;
  status: 'closed' | 'open' | 'paused';
  staff_id: number | null;
  /** The ticket called or being served there now. */
  current_number: string | null;
}

/** Counters of the hall by number, with who has each open and the ticket in progress. */
export async function countersByNumber(db: Queryable, hallId: number, numbers: number[]): Promise<CounterStateRow[]> {
  const { rows } = await db.query<CounterStateRow>(
    `SELECT c.id, c.number, c.status, c.staff_id,
            (SELECT t.number FROM tickets t WHERE t.counter_id = c.id AND t.status IN ('called', 'serving') LIMIT 1) AS current_number
       FROM counters c WHERE c.hall_id = $1 AND c.number = ANY($2::int[]) ORDER BY c.number`,
    [hallId, numbers],
  );
  return rows;
}
