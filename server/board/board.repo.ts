import type { Queryable } from '../db/pool.js';
import type { CounterStatus } from '../../protocol/index.js';

export interface BoardHallRow {
  id: number;
  name: string;
  day: string;
  day_start: Date;
  idle_alert_minutes: unknown;
}

/** The hall, its day and the instant that day started, as seen at `now`. */
export async function hallAt(db: Queryable, hallId: number, now: Date): Promise<BoardHallRow | null> {
  const { rows } = await db.query<BoardHallRow>(
    `SELECT id, name, to_char(($2::timestamptz AT TIME ZONE timezone)::date, 'YYYY-MM-DD') AS day,
            (($2::timestamptz AT TIME ZONE timezone)::date::timestamp AT TIME ZONE timezone) AS day_start,
            settings -> 'idleAlertMinutes' AS idle_alert_minutes
       FROM halls WHERE id = $1`,
    [hallId, now],
  );
  return rows[0] ?? null;
}

export interface ServiceRow {
  id: number;
  name: string;
  name_en: string | null;
  prefix: string;
  active: boolean;
  max_wait_minutes: number | null;
}

export async function services(db: Queryable, hallId: number): Promise<ServiceRow[]> {
  const { rows } = await db.query<ServiceRow>(
    'SELECT id, name, name_en, prefix, active, max_wait_minutes FROM services WHERE hall_id = $1 ORDER BY sort_order, id',
    [hallId],
  );
  return rows;
}

/** Today's figures of one service, or of the whole hall (`service_id` null); instants in epoch ms. */
export interface FiguresRow {
  service_id: number | null;
  issued: number;
  waiting: number;
  served: number;
  no_show: number;
  in_progress: number;
  oldest_waiting: number | null;
  avg_wait: number | null;
  median_wait: number | null;
  p90_wait: number | null;
  avg_service: number | null;
}

export interface CounterDayRow {
  counter_id: number;
  served: number;
  last_finished: number | null;
}

export interface ChartRow {
  t: number;
  avg_wait: number | null;
  max_wait: number | null;
  waiting: number;
}

/**
 * Everything the board counts in today's tickets, in one statement (one index scan, a few small JSON
 * results): per service and for the hall (waits: issue → first call; mean, median and 90th percentile
 * with percentile_cont; service: start → finish of the served), per counter (served, last finish), and
 * the waits across the day in buckets of `bucketMinutes` from the first issue to `now` (mean and longest
 * wait of the tickets called in each bucket, and how many waited at its end: issued − called so far).
 */
export async function dayFigures(
  db: Queryable,
  hallId: number,
  day: string,
  dayStart: Date,
  now: Date,
  bucketMinutes: number,
): Promise<{ figures: FiguresRow[]; counters: CounterDayRow[]; chart: ChartRow[] }> {
  const { rows } = await db.query<{ figures: FiguresRow[] | null; counters: CounterDayRow[] | null; chart: ChartRow[] | null }>(
    `WITH t AS MATERIALIZED (
       SELECT service_id, status, counter_id, transferred_from IS NOT NULL AS transferred_in, issued_at, called_at, finished_at,
              extract(epoch FROM called_at - issued_at)::float8 AS wait,
              CASE WHEN status = 'done' AND finished_at IS NOT NULL
                   THEN extract(epoch FROM finished_at - coalesce(serving_at, called_at))::float8 END AS service
         FROM tickets WHERE hall_id = $1 AND day = $2),
     figures AS (
       SELECT service_id,
              count(*) FILTER (WHERE NOT transferred_in)::int AS issued,
              count(*) FILTER (WHERE status = 'waiting')::int AS waiting,
              count(*) FILTER (WHERE status = 'done')::int AS served,
              count(*) FILTER (WHERE status = 'no_show')::int AS no_show,
              count(*) FILTER (WHERE status IN ('called', 'serving'))::int AS in_progress,
              (extract(epoch FROM min(issued_at) FILTER (WHERE status = 'waiting')) * 1000)::float8 AS oldest_waiting,
              avg(wait) AS avg_wait,
              percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY wait) AS wait_percentiles,
              avg(service) AS avg_service
         FROM t GROUP BY GROUPING SETS ((service_id), ())),
     counters AS (
       SELECT counter_id, count(*) FILTER (WHERE status = 'done')::int AS served, (extract(epoch FROM max(finished_at)) * 1000)::float8 AS last_finished
         FROM t WHERE counter_id IS NOT NULL GROUP BY counter_id),
     live AS (SELECT issued_at, called_at, wait FROM t WHERE status <> 'cancelled'),
     b AS (SELECT generate_series(date_bin($3::interval, min(issued_at), $4::timestamptz), $5::timestamptz, $3::interval) AS t0 FROM live HAVING count(*) > 0),
     iss AS (SELECT date_bin($3::interval, issued_at, $4::timestamptz) AS t0, count(*) AS n FROM live GROUP BY 1),
     cal AS (SELECT date_bin($3::interval, called_at, $4::timestamptz) AS t0, count(*) AS n, avg(wait) AS avg_wait, max(wait) AS max_wait
               FROM live WHERE called_at IS NOT NULL GROUP BY 1),
     chart AS (
       SELECT extract(epoch FROM b.t0)::float8 AS t, cal.avg_wait, cal.max_wait,
              greatest(0, sum(coalesce(iss.n, 0)) OVER w - sum(coalesce(cal.n, 0)) OVER w)::int AS waiting
         FROM b LEFT JOIN iss ON iss.t0 = b.t0 LEFT JOIN cal ON cal.t0 = b.t0
       WINDOW w AS (ORDER BY b.t0))
     SELECT (SELECT json_agg(json_build_object(
               'service_id', service_id, 'issued', issued, 'waiting', waiting, 'served', served, 'no_show', no_show,
               'in_progress', in_progress, 'oldest_waiting', oldest_waiting, 'avg_wait', avg_wait,
               'median_wait', wait_percentiles[1], 'p90_wait', wait_percentiles[2], 'avg_service', avg_service)) FROM figures) AS figures,
            (SELECT json_agg(counters) FROM counters) AS counters,
            (SELECT json_agg(chart ORDER BY chart.t) FROM chart) AS chart`,
    [hallId, day, `${bucketMinutes} minutes`, dayStart, now],
  );
  const r = rows[0]!;
  return { figures: r.figures ?? [], counters: r.counters ?? [], chart: r.chart ?? [] };
}

export interface CounterBoardRow {
  id: number;
  number: number;
  name: string;
  status: CounterStatus;
  opened_at: Date | null;
  staff_id: number | null;
  staff_name: string | null;
  staff_title: string | null;
  service_ids: number[];
  ticket_id: number | null;
  ticket_number: string | null;
  ticket_status: string | null;
  ticket_service_id: number | null;
  called_at: Date | null;
  serving_at: Date | null;
}

/** Every counter with its staff member and ticket in progress. */
export async function counters(db: Queryable, hallId: number): Promise<CounterBoardRow[]> {
  const { rows } = await db.query<CounterBoardRow>(
    `WITH svc AS (
       SELECT cs.counter_id, array_agg(cs.service_id ORDER BY cs.service_id) AS service_ids
         FROM counter_services cs JOIN counters c ON c.id = cs.counter_id WHERE c.hall_id = $1 GROUP BY cs.counter_id)
     SELECT c.id, c.number, c.name, c.status, c.opened_at, c.staff_id, u.name AS staff_name, u.title AS staff_title,
            coalesce(svc.service_ids, '{}') AS service_ids,
            t.id AS ticket_id, t.number AS ticket_number, t.status AS ticket_status, t.service_id AS ticket_service_id,
            t.called_at, t.serving_at
       FROM counters c
       LEFT JOIN users u ON u.id = c.staff_id
       LEFT JOIN tickets t ON t.counter_id = c.id AND t.status IN ('called', 'serving')
       LEFT JOIN svc ON svc.counter_id = c.id
      WHERE c.hall_id = $1
      ORDER BY c.number`,
    [hallId],
  );
  return rows;
}

export interface SatisfactionRow {
  ratings: number;
  level_sum: number | null;
  n1: number;
  n2: number;
  n3: number;
  n4: number;
}

export async function satisfaction(db: Queryable, hallId: number, day: string): Promise<SatisfactionRow> {
  const { rows } = await db.query<SatisfactionRow>(
    `SELECT count(*)::int AS ratings, sum(level)::int AS level_sum,
            count(*) FILTER (WHERE level = 1)::int AS n1, count(*) FILTER (WHERE level = 2)::int AS n2,
            count(*) FILTER (WHERE level = 3)::int AS n3, count(*) FILTER (WHERE level = 4)::int AS n4
       FROM ratings WHERE hall_id = $1 AND day = $2`,
    [hallId, day],
  );
  return rows[0]!;
}

export async function setMaxWait(db: Queryable, hallId: number, serviceId: number, minutes: number | null): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE services SET max_wait_minutes = $3 WHERE hall_id = $1 AND id = $2', [hallId, serviceId, minutes]);
  return (rowCount ?? 0) > 0;
}
