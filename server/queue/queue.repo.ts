import type { Queryable } from '../db/pool.js';
import type { TicketStatus } from '../../protocol/index.js';

export interface TicketRow {
  id: number;
  hall_id: number;
  service_id: number;
  day: string;
  seq: number;
  number: string;
  priority: boolean;
  status: TicketStatus;
  issued_at: Date;
  queued_at: Date;
  called_at: Date | null;
  serving_at: Date | null;
  finished_at: Date | null;
  counter_id: number | null;
  staff_id: number | null;
  reserved_counter_id: number | null;
  transferred_from: number | null;
  call_count: number;
  requeue_count: number;
}

/** The hall's day (YYYY-MM-DD) in its time zone, as the database clock sees it. */
export async function hallDay(db: Queryable, hallId: number): Promise<string> {
  const { rows } = await db.query<{ day: string }>(`SELECT (now() AT TIME ZONE timezone)::date AS day FROM halls WHERE id = $1`, [hallId]);
  return rows[0]!.day;
}

/** Next sequence number of (service, day); the row lock serialises issuers of one service until commit. */
export async function nextSeq(db: Queryable, serviceId: number, day: string): Promise<number> {
  const { rows } = await db.query<{ last_seq: number }>(
    `INSERT INTO ticket_sequences (service_id, day, last_seq) VALUES ($1, $2, 1)
     ON CONFLICT (service_id, day) DO UPDATE SET last_seq = ticket_sequences.last_seq + 1
     RETURNING last_seq`,
    [serviceId, day],
  );
  return rows[0]!.last_seq;
}

export async function insertTicket(
  db: Queryable,
  t: {
    hallId: number;
    serviceId: number;
    day: string;
    seq: number;
    number: string;
    priority: boolean;
    deviceId: number | null;
    queuedAt?: Date;
    transferredFrom?: number;
    reservedCounterId?: number | null;
  },
): Promise<TicketRow> {
  const { rows } = await db.query<TicketRow>(
    `INSERT INTO tickets (hall_id, service_id, day, seq, number, priority, device_id, queued_at, transferred_from, reserved_counter_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($8, now()), $9, $10) RETURNING *`,
    [t.hallId, t.serviceId, t.day, t.seq, t.number, t.priority, t.deviceId, t.queuedAt ?? null, t.transferredFrom ?? null, t.reservedCounterId ?? null],
  );
  return rows[0]!;
}

export async function findTicket(db: Queryable, hallId: number | null, id: number, lock = false): Promise<TicketRow | null> {
  const { rows } = await db.query<TicketRow>(
    `SELECT * FROM tickets WHERE id = $1 AND ($2::int IS NULL OR hall_id = $2)${lock ? ' FOR NO KEY UPDATE' : ''}`,
    [id, hallId],
  );
  return rows[0] ?? null;
}

/** How many waiting tickets of the same service come before this one (priority first, then by queue time). */
export async function countAhead(db: Queryable, t: Pick<TicketRow, 'id' | 'service_id' | 'day' | 'priority' | 'queued_at'>): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM tickets
      WHERE service_id = $1 AND day = $2 AND status = 'waiting' AND id <> $3
        AND (priority AND NOT $4 OR (priority = $4 AND (queued_at, id) < ($5, $3)))`,
    [t.service_id, t.day, t.id, t.priority, t.queued_at],
  );
  return rows[0]!.n;
}

/** Average service seconds of the service today (falls back to the service's default) and the counters serving it now. */
export async function serviceRate(db: Queryable, serviceId: number, day: string): Promise<{ avgSeconds: number; counters: number }> {
  const { rows } = await db.query<{ avg_seconds: number; counters: number }>(
    `SELECT coalesce(
              (SELECT avg(extract(epoch FROM finished_at - coalesce(serving_at, called_at)))
                 FROM tickets WHERE service_id = $1 AND day = $2 AND status = 'done' AND finished_at IS NOT NULL),
              s.default_service_seconds)::float8 AS avg_seconds,
            (SELECT count(*)::int FROM counters c JOIN counter_services cs ON cs.counter_id = c.id
              WHERE cs.service_id = $1 AND c.status <> 'closed') AS counters
       FROM services s WHERE s.id = $1`,
    [serviceId, day],
  );
  return { avgSeconds: rows[0]?.avg_seconds ?? 300, counters: rows[0]?.counters ?? 0 };
}

/** The number called last today in a service (null: none yet). */
export async function lastCalledOfService(db: Queryable, serviceId: number, day: string): Promise<string | null> {
  const { rows } = await db.query<{ number: string }>(
    `SELECT number FROM tickets WHERE service_id = $1 AND day = $2 AND called_at IS NOT NULL ORDER BY called_at DESC, id DESC LIMIT 1`,
    [serviceId, day],
  );
  return rows[0]?.number ?? null;
}

/** What the waiting-time estimate needs about a hall now (see estimate.ts). */
export async function estimateInputs(
  db: Queryable,
  t: Pick<TicketRow, 'id' | 'hall_id' | 'day' | 'queued_at'>,
): Promise<{
  counters: { service_ids: number[]; busy_seconds: number | null }[];
  queue: { service_id: number; priority: boolean; before: number; total: number }[];
  services: { id: number; default_service_seconds: number; samples: number[] | null }[];
}> {
  // One after another: `db` may be the issuing transaction's client.
  const counters = await db.query<{ service_ids: number[]; busy_seconds: number | null }>(
    `SELECT array_agg(cs.service_id ORDER BY cs.service_id) AS service_ids,
            (SELECT extract(epoch FROM now() - coalesce(t.called_at, now()))::float8 FROM tickets t
              WHERE t.counter_id = c.id AND t.status IN ('called', 'serving')) AS busy_seconds
       FROM counters c JOIN counter_services cs ON cs.counter_id = c.id
      WHERE c.hall_id = $1 AND c.status <> 'closed' GROUP BY c.id`,
    [t.hall_id],
  );
  const queue = await db.query<{ service_id: number; priority: boolean; before: number; total: number }>(
    `SELECT service_id, priority, (count(*) FILTER (WHERE (queued_at, id) < ($3, $4)))::int AS before, count(*)::int AS total
       FROM tickets WHERE hall_id = $1 AND day = $2 AND status = 'waiting' AND id <> $4 GROUP BY service_id, priority`,
    [t.hall_id, t.day, t.queued_at, t.id],
  );
  const services = await db.query<{ id: number; default_service_seconds: number; samples: number[] | null }>(
    `SELECT s.id, s.default_service_seconds,
            (SELECT array_agg(x.secs) FROM (
               SELECT extract(epoch FROM d.finished_at - coalesce(d.serving_at, d.called_at))::float8 AS secs
                 FROM tickets d WHERE d.service_id = s.id AND d.day = $2 AND d.status = 'done' AND d.finished_at IS NOT NULL
                ORDER BY d.finished_at DESC LIMIT 20) x) AS samples
       FROM services s WHERE s.hall_id = $1`,
    [t.hall_id, t.day],
  );
  return { counters: counters.rows, queue: queue.rows, services: services.rows };
}

/** Claims the head of the queue for a counter: skips rows another transaction holds; index-ordered. */
export async function claimHead(
  db: Queryable,
  q: { hallId: number; day: string; priority: boolean; serviceIds: number[]; counterId: number },
): Promise<Pick<TicketRow, 'id' | 'queued_at'> | null> {
  const { rows } = await db.query<Pick<TicketRow, 'id' | 'queued_at'>>(
    `SELECT id, queued_at FROM tickets
      WHERE hall_id = $1 AND day = $2 AND priority = $3 AND status = 'waiting'
        AND service_id = ANY($4::int[]) AND (reserved_counter_id IS NULL OR reserved_counter_id = $5)
      ORDER BY queued_at, id
      LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED`,
    [q.hallId, q.day, q.priority, q.serviceIds, q.counterId],
  );
  return rows[0] ?? null;
}

/** A ticket just called, with its service's name for the call event. */
export type CalledTicketRow = TicketRow & { service_name: string };

export async function markCalled(db: Queryable, ticketId: number, counterId: number, staffId: number): Promise<CalledTicketRow> {
  const { rows } = await db.query<CalledTicketRow>(
    `UPDATE tickets SET status = 'called', called_at = now(), counter_id = $2, staff_id = $3, call_count = call_count + 1
      WHERE id = $1 RETURNING *, (SELECT name FROM services WHERE id = tickets.service_id) AS service_name`,
    [ticketId, counterId, staffId],
  );
  return rows[0]!;
}

export async function insertCall(db: Queryable, hallId: number, ticketId: number, counterId: number, recall: boolean): Promise<Date> {
  const { rows } = await db.query<{ at: Date }>('INSERT INTO calls (hall_id, ticket_id, counter_id, recall) VALUES ($1, $2, $3, $4) RETURNING at', [
    hallId,
    ticketId,
    counterId,
    recall,
  ]);
  return rows[0]!.at;
}

export async function setPriorityStreak(db: Queryable, counterId: number, streak: number): Promise<void> {
  await db.query('UPDATE counters SET priority_streak = $2 WHERE id = $1', [counterId, streak]);
}

/** The ticket a counter is calling or serving, locked. */
export async function inProgress(db: Queryable, counterId: number): Promise<TicketRow | null> {
  const { rows } = await db.query<TicketRow>(`SELECT * FROM tickets WHERE counter_id = $1 AND status IN ('called', 'serving') FOR NO KEY UPDATE`, [counterId]);
  return rows[0] ?? null;
}

export async function setStatus(
  db: Queryable,
  ticketId: number,
  status: TicketStatus,
  extra: { serving?: boolean; finish?: boolean } = {},
): Promise<TicketRow> {
  const { rows } = await db.query<TicketRow>(
    `UPDATE tickets SET status = $2,
        serving_at = CASE WHEN $3 THEN coalesce(serving_at, now()) WHEN $4 AND $2 = 'done' THEN coalesce(serving_at, called_at) ELSE serving_at END,
        finished_at = CASE WHEN $4 THEN now() ELSE finished_at END
      WHERE id = $1 RETURNING *`,
    [ticketId, status, extra.serving ?? false, extra.finish ?? false],
  );
  return rows[0]!;
}

export async function requeue(db: Queryable, ticketId: number): Promise<TicketRow> {
  const { rows } = await db.query<TicketRow>(
    `UPDATE tickets SET status = 'waiting', queued_at = now(), counter_id = NULL, staff_id = NULL, called_at = NULL,
        requeue_count = requeue_count + 1 WHERE id = $1 RETURNING *`,
    [ticketId],
  );
  return rows[0]!;
}

export interface WaitingRow {
  id: number;
  number: string;
  service_id: number;
  priority: boolean;
  issued_at: Date;
  queued_at: Date;
  transferred_from: number | null;
}

/** The waiting list as a counter would call it: priority first, then queue time. */
export async function waitingFor(db: Queryable, hallId: number, day: string, serviceIds: number[], counterId: number, limit: number) {
  const { rows } = await db.query<WaitingRow>(
    `SELECT id, number, service_id, priority, issued_at, queued_at, transferred_from FROM tickets
      WHERE hall_id = $1 AND day = $2 AND status = 'waiting' AND service_id = ANY($3::int[])
        AND (reserved_counter_id IS NULL OR reserved_counter_id = $4)
      ORDER BY priority DESC, queued_at, id LIMIT $5`,
    [hallId, day, serviceIds, counterId, limit],
  );
  const total = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM tickets WHERE hall_id = $1 AND day = $2 AND status = 'waiting' AND service_id = ANY($3::int[])
        AND (reserved_counter_id IS NULL OR reserved_counter_id = $4)`,
    [hallId, day, serviceIds, counterId],
  );
  return { rows, total: total.rows[0]!.n };
}

/** Waiting tickets per service of the hall today (services with none included), counted on the claim index. */
export async function waitingCounts(db: Queryable, hallId: number): Promise<{ service_id: number; waiting: number }[]> {
  const day = await hallDay(db, hallId);
  const { rows } = await db.query<{ service_id: number; waiting: number }>(
    `SELECT s.id AS service_id, coalesce(w.n, 0)::int AS waiting
       FROM services s
       LEFT JOIN (SELECT service_id, count(*) AS n FROM tickets WHERE hall_id = $1 AND day = $2 AND status = 'waiting' GROUP BY service_id) w
              ON w.service_id = s.id
      WHERE s.hall_id = $1 ORDER BY s.id`,
    [hallId, day],
  );
  return rows;
}

export interface CallRow {
  /** Which call of its ticket this is (1-based): the announcement audio's index. */
  nth: number;
  ticket_id: number;
  number: string;
  counter_id: number;
  counter_number: number;
  counter_name: string;
  service_id: number;
  service_name: string;
  recall: boolean;
  at: Date;
}

const callSelect = `SELECT (SELECT count(*)::int FROM calls c2 WHERE c2.ticket_id = c.ticket_id AND c2.id <= c.id) AS nth, c.ticket_id, t.number, c.counter_id, k.number AS counter_number, k.name AS counter_name,
    t.service_id, s.name AS service_name, c.recall, c.at
  FROM calls c JOIN tickets t ON t.id = c.ticket_id JOIN counters k ON k.id = c.counter_id JOIN services s ON s.id = t.service_id`;

export async function recentCalls(db: Queryable, hallId: number, since: Date, limit: number): Promise<CallRow[]> {
  const { rows } = await db.query<CallRow>(`${callSelect} WHERE c.hall_id = $1 AND c.at >= $2 ORDER BY c.at DESC, c.id DESC LIMIT $3`, [hallId, since, limit]);
  return rows;
}

/** The number each counter called last today (what a display shows at that counter). */
export async function lastCallPerCounter(db: Queryable, hallId: number, since: Date): Promise<Map<number, string>> {
  const { rows } = await db.query<{ counter_id: number; number: string }>(
    `SELECT DISTINCT ON (c.counter_id) c.counter_id, t.number
       FROM calls c JOIN tickets t ON t.id = c.ticket_id
      WHERE c.hall_id = $1 AND c.at >= $2 ORDER BY c.counter_id, c.at DESC, c.id DESC`,
    [hallId, since],
  );
  return new Map(rows.map((r) => [r.counter_id, r.number]));
}

/** The number each counter has in progress now (called or being served); counters with none are absent. */
export async function inProgressPerCounter(db: Queryable, hallId: number): Promise<Map<number, string>> {
  const { rows } = await db.query<{ counter_id: number; number: string }>(
    `SELECT counter_id, number FROM tickets WHERE hall_id = $1 AND status IN ('called', 'serving') AND counter_id IS NOT NULL`,
    [hallId],
  );
  return new Map(rows.map((r) => [r.counter_id, r.number]));
}

/** Start of the hall's day as an instant. */
export async function dayStart(db: Queryable, hallId: number): Promise<Date> {
  const { rows } = await db.query<{ start: Date }>(
    `SELECT ((now() AT TIME ZONE timezone)::date::timestamp AT TIME ZONE timezone) AS start FROM halls WHERE id = $1`,
    [hallId],
  );
  return rows[0]!.start;
}

export async function currentTicketBrief(db: Queryable, counterId: number) {
  const { rows } = await db.query<{ id: number; number: string; status: string; service_id: number; called_at: Date | null }>(
    `SELECT id, number, status, service_id, called_at FROM tickets WHERE counter_id = $1 AND status IN ('called', 'serving')`,
    [counterId],
  );
  return rows[0] ?? null;
}

export async function counterNumber(db: Queryable, counterId: number): Promise<number | null> {
  const { rows } = await db.query<{ number: number }>('SELECT number FROM counters WHERE id = $1', [counterId]);
  return rows[0]?.number ?? null;
}

export async function markCalledAgain(db: Queryable, ticketId: number): Promise<CalledTicketRow> {
  const { rows } = await db.query<CalledTicketRow>(
    'UPDATE tickets SET call_count = call_count + 1 WHERE id = $1 RETURNING *, (SELECT name FROM services WHERE id = tickets.service_id) AS service_name',
    [ticketId],
  );
  return rows[0]!;
}
