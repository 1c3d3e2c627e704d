import type { Queryable } from '../db/pool.js';
import type { RatingReason } from '../../protocol/index.js';

export interface RatingRow {
  id: number;
  hall_id: number;
  ticket_id: number;
  number: string;
  level: number;
  reasons: RatingReason[];
  comment: string | null;
  client_id: string | null;
  rated_at: Date;
  created_at: Date;
}

export interface RateableTicket {
  id: number;
  hall_id: number;
  number: string;
  status: string;
  day: string;
  counter_id: number | null;
  staff_id: number | null;
  service_id: number;
  finished_at: Date | null;
}

/** The ticket, locked: ratings of one ticket go one at a time. */
export async function lockTicket(db: Queryable, hallId: number, ticketId: number): Promise<RateableTicket | null> {
  const { rows } = await db.query<RateableTicket>(
    `SELECT id, hall_id, number, status, to_char(day, 'YYYY-MM-DD') AS day, counter_id, staff_id, service_id, finished_at
       FROM tickets WHERE id = $1 AND hall_id = $2 FOR UPDATE`,
    [ticketId, hallId],
  );
  return rows[0] ?? null;
}

const ratingSelect = `SELECT r.id, r.hall_id, r.ticket_id, t.number, r.level, r.reasons, r.comment, r.client_id, r.rated_at, r.created_at
  FROM ratings r JOIN tickets t ON t.id = r.ticket_id`;

export async function findByClientId(db: Queryable, hallId: number, clientId: string): Promise<RatingRow | null> {
  const { rows } = await db.query<RatingRow>(`${ratingSelect} WHERE r.hall_id = $1 AND r.client_id = $2`, [hallId, clientId]);
  return rows[0] ?? null;
}

export async function findByTicket(db: Queryable, ticketId: number): Promise<RatingRow | null> {
  const { rows } = await db.query<RatingRow>(`${ratingSelect} WHERE r.ticket_id = $1`, [ticketId]);
  return rows[0] ?? null;
}

export async function insertRating(
  db: Queryable,
  r: {
    ticket: RateableTicket & { counter_id: number; staff_id: number };
    deviceId: number;
    level: number;
    reasons: readonly RatingReason[];
    comment: string | null;
    clientId: string | null;
    ratedAt: Date;
  },
): Promise<RatingRow> {
  const { rows } = await db.query<Omit<RatingRow, 'number'>>(
    `INSERT INTO ratings (hall_id, ticket_id, day, counter_id, staff_id, service_id, device_id, level, reasons, comment, client_id, rated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     RETURNING id, hall_id, ticket_id, level, reasons, comment, client_id, rated_at, created_at`,
    [
      r.ticket.hall_id,
      r.ticket.id,
      r.ticket.day,
      r.ticket.counter_id,
      r.ticket.staff_id,
      r.ticket.service_id,
      r.deviceId,
      r.level,
      r.reasons,
      r.comment,
      r.clientId,
      r.ratedAt,
    ],
  );
  return { ...rows[0]!, number: r.ticket.number };
}

/** The hall's rating settings (raw JSON values; the service checks them). */
export async function ratingSettings(db: Queryable, hallId: number): Promise<{ window: unknown; grace: unknown; name: string } | null> {
  const { rows } = await db.query<{ window: unknown; grace: unknown; name: string }>(
    `SELECT settings -> 'ratingWindowMinutes' AS window, settings -> 'ratingOfflineGraceHours' AS grace, name FROM halls WHERE id = $1`,
    [hallId],
  );
  return rows[0] ?? null;
}

export interface RequestRow {
  ticket_id: number;
  number: string;
  counter_id: number;
  staff_name: string;
  service_name: string;
  finished_at: Date;
}

const requestSelect = `SELECT t.id AS ticket_id, t.number, t.counter_id, u.name AS staff_name, s.name AS service_name, t.finished_at
  FROM tickets t JOIN users u ON u.id = t.staff_id JOIN services s ON s.id = t.service_id`;

/** What the tablet needs to ask for a rating of a served ticket. */
export async function requestOf(db: Queryable, hallId: number, ticketId: number): Promise<RequestRow | null> {
  const { rows } = await db.query<RequestRow>(
    `${requestSelect} WHERE t.id = $1 AND t.hall_id = $2 AND t.status = 'done' AND t.counter_id IS NOT NULL AND t.finished_at IS NOT NULL`,
    [ticketId, hallId],
  );
  return rows[0] ?? null;
}

/** The ticket served last at a counter, if it finished after `since` and nobody rated it yet. */
export async function lastUnrated(db: Queryable, counterId: number, since: Date): Promise<RequestRow | null> {
  const { rows } = await db.query<RequestRow>(
    `${requestSelect}
      WHERE t.counter_id = $1 AND t.status = 'done' AND t.finished_at > $2
        AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.ticket_id = t.id)
      ORDER BY t.finished_at DESC LIMIT 1`,
    [counterId, since],
  );
  return rows[0] ?? null;
}

export interface TabletCounterRow {
  id: number;
  number: number;
  name: string;
  status: string;
  staff_id: number | null;
  staff_name: string | null;
  staff_title: string | null;
  staff_photo_url: string | null;
  ticket_id: number | null;
  ticket_number: string | null;
  ticket_status: string | null;
}

/** A counter with the staff member on duty (photo included) and the ticket in progress. */
export async function tabletCounter(db: Queryable, hallId: number, counterId: number): Promise<TabletCounterRow | null> {
  const { rows } = await db.query<TabletCounterRow>(
    `SELECT c.id, c.number, c.name, c.status, c.staff_id, u.name AS staff_name, u.title AS staff_title, u.photo_url AS staff_photo_url,
            t.id AS ticket_id, t.number AS ticket_number, t.status AS ticket_status
       FROM counters c
       LEFT JOIN users u ON u.id = c.staff_id
       LEFT JOIN tickets t ON t.counter_id = c.id AND t.status IN ('called', 'serving')
      WHERE c.id = $1 AND c.hall_id = $2`,
    [counterId, hallId],
  );
  return rows[0] ?? null;
}
