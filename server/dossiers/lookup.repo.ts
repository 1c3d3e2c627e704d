/** SQL of the public lookup limiter: fixed windows per subject (an IP or a lookup device) in an UNLOGGED table. */
import type { Queryable } from '../db/pool.js';

/**
 * Counts one lookup in the subject's current minute and reserves one miss in its current hour if fewer than
 * `missLimit` are used (one atomic upsert each, so concurrent lookups cannot overshoot); returns the minute's
 * lookups, whether the miss was reserved, and the seconds left in each window.
 */
export async function countLookup(
  db: Queryable,
  subject: string,
  missLimit: number,
): Promise<{ hits: number; reserved: boolean; minute_left: number; hour_left: number }> {
  const { rows } = await db.query<{ hits: number; reserved: boolean; minute_left: number; hour_left: number }>({
    name: 'lookup-limit-reserve',
    text: `WITH hit AS (
       INSERT INTO lookup_limits (subject, bucket, hits) VALUES ('m:' || $1, date_trunc('minute', now()), 1)
       ON CONFLICT (subject, bucket) DO UPDATE SET hits = lookup_limits.hits + 1
       RETURNING hits),
     miss AS (
       INSERT INTO lookup_limits AS l (subject, bucket, misses) SELECT 'h:' || $1, date_trunc('hour', now()), 1 WHERE $2 > 0
       ON CONFLICT (subject, bucket) DO UPDATE SET misses = l.misses + 1 WHERE l.misses < $2
       RETURNING misses)
     SELECT (SELECT hits FROM hit) AS hits, EXISTS (SELECT 1 FROM miss) AS reserved,
            ceil(extract(epoch FROM date_trunc('minute', now()) + interval '1 minute' - now()))::int AS minute_left,
            ceil(extract(epoch FROM date_trunc('hour', now()) + interval '1 hour' - now()))::int AS hour_left`,
    values: [subject, missLimit],
  });
  return rows[0]!;
}

/** Gives a reserved miss back (the lookup found its dossier, or was refused for another limit). */
export async function releaseMiss(db: Queryable, subject: string): Promise<void> {
  await db.query(
    `UPDATE lookup_limits SET misses = greatest(misses - 1, 0) WHERE subject = 'h:' || $1 AND bucket = date_trunc('hour', now())`,
    [subject],
  );
}

/** Drops windows that ended more than an hour ago. */
export async function pruneLookupLimits(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM lookup_limits WHERE bucket < now() - interval '2 hours'`);
  return rowCount ?? 0;
}
