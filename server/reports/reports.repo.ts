import type { Queryable } from '../db/pool.js';
import type { ReportBy } from '../../protocol/index.js';
import { ratedBy as rollupRatedBy } from '../rankings/rankings.repo.js';

export interface FiguresRow {
  id: number | null;
  name: string | null;
  issued: number;
  called: number;
  served: number;
  no_show: number;
  not_served: number;
  transferred: number;
  wait_avg: number | null;
  wait_median: number | null;
  wait_p90: number | null;
  service_avg: number | null;
  service_median: number | null;
  service_p90: number | null;
}

export interface RatedRow {
  id: number | null;
  rated: number;
  level_sum: number;
  n1: number;
  n2: number;
  n3: number;
  n4: number;
}

const key: Record<ReportBy, 'service_id' | 'counter_id' | 'staff_id'> = { service: 'service_id', counter: 'counter_id', staff: 'staff_id' };

const wait = `extract(epoch FROM t.called_at - t.issued_at)`;
const service = `extract(epoch FROM t.finished_at - coalesce(t.serving_at, t.called_at))`;
const figures = `count(t.id) FILTER (WHERE t.transferred_from IS NULL)::int AS issued,
  count(t.id) FILTER (WHERE t.called_at IS NOT NULL)::int AS called,
  count(t.id) FILTER (WHERE t.status = 'done')::int AS served,
  count(t.id) FILTER (WHERE t.status = 'no_show')::int AS no_show,
  count(t.id) FILTER (WHERE t.status = 'not_served')::int AS not_served,
  count(t.id) FILTER (WHERE t.status = 'transferred')::int AS transferred,
  avg(${wait}) FILTER (WHERE t.called_at IS NOT NULL)::float8 AS wait_avg,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY ${wait}) FILTER (WHERE t.called_at IS NOT NULL) AS wait_median,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY ${wait}) FILTER (WHERE t.called_at IS NOT NULL) AS wait_p90,
  avg(${service}) FILTER (WHERE t.status = 'done' AND t.finished_at IS NOT NULL)::float8 AS service_avg,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY ${service}) FILTER (WHERE t.status = 'done' AND t.finished_at IS NOT NULL) AS service_median,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY ${service}) FILTER (WHERE t.status = 'done' AND t.finished_at IS NOT NULL) AS service_p90`;

/**
 * Queue figures per service, counter or staff member over an inclusive range of hall days; every
 * service and counter of the hall is listed, staff members only when they called a ticket.
 */
export async function figuresBy(db: Queryable, by: ReportBy, hallId: number, from: string, to: string): Promise<FiguresRow[]> {
  const range = `t.hall_id = $1 AND t.day BETWEEN $2 AND $3`;
  switch (by) {
    case 'service': {
      const { rows } = await db.query<FiguresRow>(
        `SELECT s.id, s.name, ${figures} FROM services s LEFT JOIN tickets t ON t.service_id = s.id AND ${range}
          WHERE s.hall_id = $1 GROUP BY s.id ORDER BY s.sort_order, s.id`,
        [hallId, from, to],
      );
      return rows;
    }
    case 'counter': {
      const { rows } = await db.query<FiguresRow>(
        `SELECT c.id, c.name, ${figures} FROM counters c LEFT JOIN tickets t ON t.counter_id = c.id AND ${range}
          WHERE c.hall_id = $1 GROUP BY c.id ORDER BY c.number`,
        [hallId, from, to],
      );
      return rows;
    }
    case 'staff': {
      const { rows } = await db.query<FiguresRow>(
        `SELECT u.id, u.name, ${figures} FROM tickets t JOIN users u ON u.id = t.staff_id
          WHERE ${range} GROUP BY u.id ORDER BY u.name, u.id`,
        [hallId, from, to],
      );
      return rows;
    }
  }
}

/** The same figures for the whole hall. */
export async function figuresTotal(db: Queryable, hallId: number, from: string, to: string): Promise<FiguresRow> {
  const { rows } = await db.query<FiguresRow>(
    `SELECT NULL::int AS id, NULL::text AS name, ${figures} FROM tickets t WHERE t.hall_id = $1 AND t.day BETWEEN $2 AND $3`,
    [hallId, from, to],
  );
  return rows[0]!;
}

/** Ratings per service, counter or staff member (rows with id null: the whole hall), from the rollups. */
export async function ratedBy(db: Queryable, by: ReportBy, hallId: number, from: string, to: string): Promise<RatedRow[]> {
  return rollupRatedBy(db, key[by], hallId, from, to);
}

export async function hallToday(db: Queryable, hallId: number): Promise<string | null> {
  const { rows } = await db.query<{ today: string }>(`SELECT to_char((now() AT TIME ZONE timezone)::date, 'YYYY-MM-DD') AS today FROM halls WHERE id = $1`, [hallId]);
  return rows[0]?.today ?? null;
}
