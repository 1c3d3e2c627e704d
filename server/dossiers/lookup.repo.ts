/** SQL of the public lookup limiter: fixed windows per subject (an IP or a lookup device) in an UNLOGGED table. */
import type { Queryable } from '../db/pool.js';

/**
 * Counts one lookup in the subject's current minute and returns that minute's lookups and the current hour's
 * unknown codes, with the seconds left in each window.
 */
export async function countLookup(db: Queryable, subject: string): Promise<{ hits: number; misses: number; minute_left: number; hour_left: number }> {
  const { rows } = await db.query<{ hits: number; misses: number; minute_left: number; hour_left: number }>({
    name: 'lookup-limit-count',
    text: `WITH hit AS (
       INSERT INTO lookup_limits (subject, bucket, hits) VALUES ('m:' || $1, date_trunc('minute', now()), 1)
       ON CONFLICT (subject, bucket) DO UPDATE SET hits = lookup_limits.hits + 1
       RETURNING hits)
     SELECT (SELECT hits FROM hit) AS hits,
            coalesce((SELECT misses FROM lookup_limits WHERE subject = 'h:' || $1 AND bucket = date_trunc('hour', now())), 0) AS misses,
            ceil(extract(epoch FROM date_trunc('minute', now()) + interval '1 minute' - now()))::int AS minute_left,
            ceil(extract(epoch FROM date_trunc('hour', now()) + interval '1 hour' - now()))::int AS hour_left`,
    values: [subject],
  });
  return rows[0]!;
}

export async function countMiss(db: Queryable, subject: string): Promise<void> {
  await db.query(
    `INSERT INTO lookup_limits (subject, bucket, misses) VALUES ('h:' || $1, date_trunc('hour', now()), 1)
     ON CONFLICT (subject, bucket) DO UPDATE SET misses = lookup_limits.misses + 1`,
    [subject],
  );
}

/** Drops windows that ended more than an hour ago. */
export async function pruneLookupLimits(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM lookup_limits WHERE bucket < now() - interval '2 hours'`);
  return rowCount ?? 0;
}
