import type { Queryable } from '../db/pool.js';
import type { RankingBy } from '../../protocol/index.js';
import { splitByMonths } from './period.js';

export interface TallyRow {
  id: number;
  name: string;
  name_en: string | null;
  title: string | null;
  served: number;
  rated: number;
  level_sum: number;
  n1: number;
  n2: number;
  n3: number;
  n4: number;
}

export interface HallBrief {
  id: number;
  code: string;
  name: string;
  timezone: string;
  today: string;
}

const hallSelect = `SELECT id, code, name, timezone, to_char((now() AT TIME ZONE timezone)::date, 'YYYY-MM-DD') AS today FROM halls`;

export async function hallById(db: Queryable, id: number): Promise<HallBrief | null> {
  const { rows } = await db.query<HallBrief>(`${hallSelect} WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function hallByCode(db: Queryable, code: string): Promise<HallBrief | null> {
  const { rows } = await db.query<HallBrief>(`${hallSelect} WHERE code = $1`, [code]);
  return rows[0] ?? null;
}

export async function firstHall(db: Queryable): Promise<HallBrief | null> {
  const { rows } = await db.query<HallBrief>(`${hallSelect} ORDER BY id LIMIT 1`);
  return rows[0] ?? null;
}

export async function hallSetting(db: Queryable, hallId: number, key: string): Promise<unknown> {
  const { rows } = await db.query<{ value: unknown }>('SELECT settings -> $2 AS value FROM halls WHERE id = $1', [hallId, key]);
  return rows[0]?.value ?? null;
}

/**
 * The rollup rows of an inclusive range of days: whole months from satisfaction_monthly, the days at
 * either end from satisfaction_daily. Parameters: $1 hall id (NULL: every hall), $2–$7 the split range.
 */
const rollupRows = `
  SELECT d.hall_id, d.counter_id, d.staff_id, d.service_id, d.served, d.rated, d.level_sum, d.n1, d.n2, d.n3, d.n4
    FROM satisfaction_daily d
   WHERE ($1::int IS NULL OR d.hall_id = $1) AND (d.day BETWEEN $2::date AND $3::date OR d.day BETWEEN $4::date AND $5::date)
  UNION ALL
  SELECT m.hall_id, m.counter_id, m.staff_id, m.service_id, m.served, m.rated, m.level_sum, m.n1, m.n2, m.n3, m.n4
    FROM satisfaction_monthly m
   WHERE ($1::int IS NULL OR m.hall_id = $1) AND m.month BETWEEN $6::date AND $7::date`;

/** Query parameters of `rollupRows` for a hall (or null: every hall) and a range of days. */
export function rollupParams(hallId: number | null, from: string, to: string): unknown[] {
  const { headDays, months, tailDays } = splitByMonths(from, to);
  return [hallId, headDays[0], headDays[1], tailDays[0], tailDays[1], months[0], months[1]];
}

const sums = `sum(r.served) AS served, sum(r.rated) AS rated, sum(r.level_sum) AS level_sum,
  sum(r.n1) AS n1, sum(r.n2) AS n2, sum(r.n3) AS n3, sum(r.n4) AS n4`;

/**
 * Served and rated totals per staff member, counter, department or hall over an inclusive range of
 * hall days, read from the rollups. Services without a department count for by=department as id 0.
 */
export async function tallies(db: Queryable, by: RankingBy, hallId: number, from: string, to: string): Promise<TallyRow[]> {
  const params = rollupParams(by === 'hall' ? null : hallId, from, to);
  const sql: Record<RankingBy, string> = {
    staff: `WITH r AS (${rollupRows}), t AS (SELECT r.staff_id AS id, ${sums} FROM r GROUP BY r.staff_id)
            SELECT t.*, u.name, NULL::text AS name_en, u.title FROM t JOIN users u ON u.id = t.id`,
    counter: `WITH r AS (${rollupRows}), t AS (SELECT r.counter_id AS id, ${sums} FROM r GROUP BY r.counter_id)
              SELECT t.*, c.name, NULL::text AS name_en, NULL::text AS title FROM t JOIN counters c ON c.id = t.id`,
    department: `WITH r AS (${rollupRows}), t AS (SELECT coalesce(s.department_id, 0) AS id, ${sums} FROM r JOIN services s ON s.id = r.service_id GROUP BY 1)
                 SELECT t.*, coalesce(dep.name, 'Khác') AS name, dep.name_en, NULL::text AS title FROM t LEFT JOIN departments dep ON dep.id = t.id`,
    hall: `WITH r AS (${rollupRows}), t AS (SELECT r.hall_id AS id, ${sums} FROM r GROUP BY r.hall_id)
           SELECT t.*, h.name, NULL::text AS name_en, NULL::text AS title FROM t JOIN halls h ON h.id = t.id`,
  };
  const { rows } = await db.query<TallyRow>(sql[by], params);
  return rows;
}

/** Ratings per service, counter or staff member (row with id null: the whole hall) over a range of days. */
export async function ratedBy(
  db: Queryable,
  key: 'service_id' | 'counter_id' | 'staff_id',
  hallId: number,
  from: string,
  to: string,
): Promise<{ id: number | null; rated: number; level_sum: number; n1: number; n2: number; n3: number; n4: number }[]> {
  const { rows } = await db.query<{ id: number | null; rated: number; level_sum: number; n1: number; n2: number; n3: number; n4: number }>(
    `WITH r AS (${rollupRows})
     SELECT r.${key} AS id, sum(r.rated)::int AS rated, sum(r.level_sum)::int AS level_sum,
            sum(r.n1)::int AS n1, sum(r.n2)::int AS n2, sum(r.n3)::int AS n3, sum(r.n4)::int AS n4
       FROM r GROUP BY GROUPING SETS ((r.${key}), ())`,
    rollupParams(hallId, from, to),
  );
  return rows;
}

/** Rebuilds a hall's daily and monthly rollups from the tickets and ratings (after a bulk load with triggers off, or a repair). */
export async function rebuildRollup(db: Queryable, hallId: number): Promise<void> {
  await db.query('DELETE FROM satisfaction_daily WHERE hall_id = $1', [hallId]);
  await db.query(
    `INSERT INTO satisfaction_daily (hall_id, day, counter_id, staff_id, service_id, served, rated, level_sum, n1, n2, n3, n4)
     SELECT hall_id, day, counter_id, staff_id, service_id, sum(served), sum(rated), sum(level_sum), sum(n1), sum(n2), sum(n3), sum(n4)
       FROM (SELECT hall_id, day, counter_id, staff_id, service_id, count(*) AS served, 0 AS rated, 0 AS level_sum, 0 AS n1, 0 AS n2, 0 AS n3, 0 AS n4
               FROM tickets WHERE hall_id = $1 AND status = 'done' AND counter_id IS NOT NULL AND staff_id IS NOT NULL
              GROUP BY hall_id, day, counter_id, staff_id, service_id
             UNION ALL
             SELECT hall_id, day, counter_id, staff_id, service_id, 0, count(*), sum(level), count(*) FILTER (WHERE level = 1),
                    count(*) FILTER (WHERE level = 2), count(*) FILTER (WHERE level = 3), count(*) FILTER (WHERE level = 4)
               FROM ratings WHERE hall_id = $1
              GROUP BY hall_id, day, counter_id, staff_id, service_id) x
      GROUP BY hall_id, day, counter_id, staff_id, service_id`,
    [hallId],
  );
  await db.query('DELETE FROM satisfaction_monthly WHERE hall_id = $1', [hallId]);
  await db.query(
    `INSERT INTO satisfaction_monthly (hall_id, month, counter_id, staff_id, service_id, served, rated, level_sum, n1, n2, n3, n4)
     SELECT hall_id, date_trunc('month', day)::date, counter_id, staff_id, service_id,
            sum(served), sum(rated), sum(level_sum), sum(n1), sum(n2), sum(n3), sum(n4)
       FROM satisfaction_daily WHERE hall_id = $1 GROUP BY 1, 2, 3, 4, 5`,
    [hallId],
  );
}
