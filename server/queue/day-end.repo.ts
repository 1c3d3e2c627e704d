import type { Queryable } from '../db/pool.js';
import type { TicketRow } from './queue.repo.js';

/**
 * Closes every ticket of a hall day that is over at `now` (in each hall's time zone): waiting and called ones as
 * `not_served`, one still being served as `done`, each finished at the end of its own day.
 */
export async function closePastDays(db: Queryable, now: Date): Promise<TicketRow[]> {
  const { rows } = await db.query<TicketRow>(
    `WITH h AS (SELECT id, timezone, ($1::timestamptz AT TIME ZONE timezone)::date AS today FROM halls)
     UPDATE tickets t
        SET status = CASE WHEN t.status = 'serving' THEN 'done' ELSE 'not_served' END,
            finished_at = least($1::timestamptz, ((t.day + 1)::timestamp AT TIME ZONE h.timezone))
       FROM h
      WHERE t.hall_id = h.id AND t.day < h.today AND t.status IN ('waiting', 'called', 'serving')
      RETURNING t.*`,
    [now],
  );
  return rows;
}

/** Idempotency keys of days that are over (they are kept for the hall's day only). */
export async function purgePastKeys(db: Queryable, now: Date): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM idempotency_keys k USING halls h WHERE k.hall_id = h.id AND k.day < ($1::timestamptz AT TIME ZONE h.timezone)::date`,
    [now],
  );
  return rowCount ?? 0;
}
