import type { Queryable } from '../db/pool.js';
import type { CounterStatus } from '../../protocol/index.js';

export interface BoardHallRow {
  id: number;
  name: string;
  day: string;
  /** Instant the hall's day started, epoch ms. */
  day_start: number;
  idle_alert_minutes: unknown;
}

export interface ServiceRow {
  id: number;
  name: string;
  name_en: string | null;
  prefix: string;
  active: boolean;
  max_wait_minutes: number | null;
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

/** One bucket of the day with something in it: tickets issued and called in it, waits of those called. */
export interface ChartRow {
  /** Bucket start, epoch seconds. */
  t: number;
  issued: number;
  called: number;
  avg_wait: number | null;
  max_wait: number | null;
}

/** A counter with its staff member, ticket in progress and today's work; instants in epoch ms. */
export interface CounterBoardRow {
  id: number;
  number: number;
  name: string;
  status: CounterStatus;
  opened_at: number | null;
  staff_id: number | null;
  staff_name: string | null;
  staff_title: string | null;
  service_ids: number[];
  ticket_id: number | null;
  ticket_number: string | null;
  ticket_status: string | null;
  ticket_service_id: number | null;
  called_at: number | null;
  serving_at: number | null;
  served: number;
  last_finished: number | null;
}

export interface SatisfactionRow {
  ratings: number;
  level_sum: number | null;
  n1: number;
  n2: number;
  n3: number;
  n4: number;
}

export interface BoardDay {
  hall: BoardHallRow;
  services: ServiceRow[];
  figures: FiguresRow[];
  counters: CounterBoardRow[];
  satisfaction: SatisfactionRow;
  chart: ChartRow[];
}

/** An instant as epoch milliseconds (date_part is float8; extract() would be numeric, much slower). */
const ms = (col: string) => `(date_part('epoch', ${col}) * 1000)`;

/**
 * Everything the board shows of a hall's day at `now`, in one statement and one round trip (one index
 * scan of today's tickets, small JSON results):
 * - the hall, its day and the instant the day started;
 * - per service and for the hall (`service_id` null): counts, the longest current wait, and waits
 *   (issue → first call) as mean, median and 90th percentile (percentile_cont), service time (start → finish)
 *   of the served;
 * - every counter with its staff member, ticket in progress, served today and last finish;
 * - today's ratings; and per bucket of `bucketMinutes` (aligned on the day's start) the tickets issued and
 *   called in it with the mean and longest wait of those called (empty buckets left out).
 */
export async function boardDay(db: Queryable, hallId: number, now: Date, bucketMinutes: number): Promise<BoardDay | null> {
  const { rows } = await db.query<{
    hall: BoardHallRow | null;
    services: ServiceRow[] | null;
    figures: FiguresRow[] | null;
    counters: CounterBoardRow[] | null;
    satisfaction: SatisfactionRow;
    chart: ChartRow[] | null;
  }>(
    `WITH h AS (
       SELECT id, name, ($2::timestamptz AT TIME ZONE timezone)::date AS day,
              (($2::timestamptz AT TIME ZONE timezone)::date::timestamp AT TIME ZONE timezone) AS day_start,
              settings -> 'idleAlertMinutes' AS idle_alert_minutes
         FROM halls WHERE id = $1),
     t AS MATERIALIZED (
       SELECT service_id, status, counter_id, transferred_from IS NOT NULL AS transferred_in, issued_at, finished_at,
              date_part('epoch', issued_at) AS issued_s, date_part('epoch', called_at) AS called_s,
              date_part('epoch', called_at) - date_part('epoch', issued_at) AS wait,
              CASE WHEN status = 'done' AND finished_at IS NOT NULL
                   THEN date_part('epoch', finished_at) - date_part('epoch', coalesce(serving_at, called_at)) END AS service
         FROM tickets WHERE hall_id = $1 AND day = (SELECT day FROM h)),
     b AS (SELECT date_part('epoch', day_start) AS start_s, $3::float8 * 60 AS step_s FROM h),
     figures AS (
       SELECT service_id,
              count(*) FILTER (WHERE NOT transferred_in)::int AS issued,
              count(*) FILTER (WHERE status = 'waiting')::int AS waiting,
              count(*) FILTER (WHERE status = 'done')::int AS served,
              count(*) FILTER (WHERE status = 'no_show')::int AS no_show,
              count(*) FILTER (WHERE status IN ('called', 'serving'))::int AS in_progress,
              ${ms("min(issued_at) FILTER (WHERE status = 'waiting')")} AS oldest_waiting,
              avg(wait) AS avg_wait,
              percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY wait) AS wait_percentiles,
              avg(service) AS avg_service
         FROM t GROUP BY GROUPING SETS ((service_id), ())),
     counter_day AS (
       SELECT counter_id, count(*) FILTER (WHERE status = 'done')::int AS served, ${ms('max(finished_at)')} AS last_finished
         FROM t WHERE counter_id IS NOT NULL GROUP BY counter_id),
     events AS (
       SELECT floor((issued_s - b.start_s) / b.step_s) AS bucket, 1 AS issued, 0 AS called, NULL::float8 AS wait
         FROM t, b WHERE status <> 'cancelled'
       UNION ALL
       SELECT floor((called_s - b.start_s) / b.step_s), 0, 1, wait
         FROM t, b WHERE status <> 'cancelled' AND called_s IS NOT NULL),
     chart AS (
       SELECT (SELECT start_s + bucket * step_s FROM b) AS t, sum(issued)::int AS issued, sum(called)::int AS called, avg(wait) AS avg_wait, max(wait) AS max_wait
         FROM events GROUP BY bucket),
     svc AS (
       SELECT id, name, name_en, prefix, active, max_wait_minutes, sort_order FROM services WHERE hall_id = $1),
     counter_services_of AS (
       SELECT cs.counter_id, array_agg(cs.service_id ORDER BY cs.service_id) AS service_ids
         FROM counter_services cs JOIN counters c ON c.id = cs.counter_id WHERE c.hall_id = $1 GROUP BY cs.counter_id),
     ctr AS (
       SELECT c.id, c.number, c.name, c.status, ${ms('c.opened_at')} AS opened_at, c.staff_id, u.name AS staff_name, u.title AS staff_title,
              coalesce(cso.service_ids, '{}') AS service_ids,
              tk.id AS ticket_id, tk.number AS ticket_number, tk.status AS ticket_status, tk.service_id AS ticket_service_id,
              ${ms('tk.called_at')} AS called_at, ${ms('tk.serving_at')} AS serving_at,
              coalesce(cd.served, 0) AS served, cd.last_finished
         FROM counters c
         LEFT JOIN users u ON u.id = c.staff_id
         LEFT JOIN tickets tk ON tk.counter_id = c.id AND tk.status IN ('called', 'serving')
         LEFT JOIN counter_services_of cso ON cso.counter_id = c.id
         LEFT JOIN counter_day cd ON cd.counter_id = c.id
        WHERE c.hall_id = $1)
     SELECT (SELECT json_build_object('id', id, 'name', name, 'day', to_char(day, 'YYYY-MM-DD'), 'day_start', ${ms('day_start')},
                                      'idle_alert_minutes', idle_alert_minutes) FROM h) AS hall,
            (SELECT json_agg(svc ORDER BY sort_order, id) FROM svc) AS services,
            (SELECT json_agg(json_build_object(
               'service_id', service_id, 'issued', issued, 'waiting', waiting, 'served', served, 'no_show', no_show,
               'in_progress', in_progress, 'oldest_waiting', oldest_waiting, 'avg_wait', avg_wait,
               'median_wait', wait_percentiles[1], 'p90_wait', wait_percentiles[2], 'avg_service', avg_service)) FROM figures) AS figures,
            (SELECT json_agg(ctr ORDER BY number) FROM ctr) AS counters,
            (SELECT json_build_object('ratings', count(*), 'level_sum', sum(level),
                                      'n1', count(*) FILTER (WHERE level = 1), 'n2', count(*) FILTER (WHERE level = 2),
                                      'n3', count(*) FILTER (WHERE level = 3), 'n4', count(*) FILTER (WHERE level = 4))
               FROM ratings WHERE hall_id = $1 AND day = (SELECT day FROM h)) AS satisfaction,
            (SELECT json_agg(chart ORDER BY chart.t) FROM chart) AS chart`,
    [hallId, now, bucketMinutes],
  );
  const r = rows[0]!;
  if (!r.hall) return null;
  return {
    hall: r.hall,
    services: r.services ?? [],
    figures: r.figures ?? [],
    counters: r.counters ?? [],
    satisfaction: r.satisfaction,
    chart: r.chart ?? [],
  };
}

export async function setMaxWait(db: Queryable, hallId: number, serviceId: number, minutes: number | null): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE services SET max_wait_minutes = $3 WHERE hall_id = $1 AND id = $2', [hallId, serviceId, minutes]);
  return (rowCount ?? 0) > 0;
}
