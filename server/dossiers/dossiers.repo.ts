/** SQL of the dossier domain: procedures, dossiers and their timeline, holidays, idempotent requests. */
import type { Queryable } from '../db/pool.js';
import type { DossierStatus, HolidayKind } from '../../protocol/index.js';

// ---- halls and people ----

export interface HallInfo {
  id: number;
  name: string;
  code: string;
  agency_id: string | null;
  closing_time: string | null;
  day: string;
}

/** The hall as a dossier needs it, with its current day (in its time zone, by the database clock). */
export async function hallInfo(db: Queryable, hallId: number): Promise<HallInfo | null> {
  const { rows } = await db.query<HallInfo>(
    `SELECT id, name, code, settings->>'agencyId' AS agency_id, settings->>'closingTime' AS closing_time,
            to_char((now() AT TIME ZONE timezone)::date, 'YYYY-MM-DD') AS day
       FROM halls WHERE id = $1`,
    [hallId],
  );
  return rows[0] ?? null;
}

/** The counter a staff member opened (open or paused), if any. */
export async function openCounterOf(db: Queryable, hallId: number, staffId: number): Promise<{ id: number; number: number; name: string } | null> {
  const { rows } = await db.query<{ id: number; number: number; name: string }>(
    `SELECT id, number, name FROM counters WHERE hall_id = $1 AND staff_id = $2 AND status <> 'closed'`,
    [hallId, staffId],
  );
  return rows[0] ?? null;
}

export async function ticketBrief(db: Queryable, hallId: number, ticketId: number) {
  const { rows } = await db.query<{ id: number; counter_id: number | null; status: string; number: string }>(
    'SELECT id, counter_id, status, number FROM tickets WHERE hall_id = $1 AND id = $2',
    [hallId, ticketId],
  );
  return rows[0] ?? null;
}

// ---- procedures ----

export interface ProcedureRow {
  id: number;
  hall_id: number;
  department_id: number | null;
  department_name: string | null;
  service_id: number | null;
  name: string;
  name_en: string | null;
  processing_days: number;
  fee: number;
  active: boolean;
}

const procedureSelect = `SELECT p.id, p.hall_id, p.department_id, d.name AS department_name, p.service_id, p.name, p.name_en,
    p.processing_days, p.fee, p.active
  FROM procedures p LEFT JOIN departments d ON d.id = p.department_id`;

/** The hall's catalogue; `active` true or false keeps only the procedures switched on or off. */
export async function listProcedures(db: Queryable, hallId: number, active: boolean | null = null): Promise<ProcedureRow[]> {
  const { rows } = await db.query<ProcedureRow>(
    `${procedureSelect} WHERE p.hall_id = $1 AND ($2::boolean IS NULL OR p.active = $2) ORDER BY p.department_id NULLS LAST, p.name`,
    [hallId, active],
  );
  return rows;
}

export async function findProcedure(db: Queryable, hallId: number, ref: number | string): Promise<ProcedureRow | null> {
  const { rows } =
    typeof ref === 'number'
      ? await db.query<ProcedureRow>(`${procedureSelect} WHERE p.hall_id = $1 AND p.id = $2`, [hallId, ref])
      : await db.query<ProcedureRow>(`${procedureSelect} WHERE p.hall_id = $1 AND lower(p.name) = lower($2)`, [hallId, ref]);
  return rows[0] ?? null;
}

export async function insertProcedure(
  db: Queryable,
  p: { hallId: number; departmentId: number | null; serviceId: number | null; name: string; nameEn: string | null; processingDays: number; fee: number; active: boolean },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO procedures (hall_id, department_id, service_id, name, name_en, processing_days, fee, active)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [p.hallId, p.departmentId, p.serviceId, p.name, p.nameEn, p.processingDays, p.fee, p.active],
  );
  return rows[0]!.id;
}

/** Takes a procedure's row for an update; false when the hall has no such procedure. */
export async function lockProcedure(db: Queryable, hallId: number, id: number): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM procedures WHERE hall_id = $1 AND id = $2 FOR UPDATE', [hallId, id]);
  return (rowCount ?? 0) > 0;
}

/**
 * Updates the fields given; `nameEn`, `departmentId` and `serviceId` undefined keep their value, null clears it.
 * Dossiers already received keep their own processing time and due date (columns of `dossiers`).
 */
export async function updateProcedure(
  db: Queryable,
  hallId: number,
  id: number,
  patch: { name?: string; nameEn?: string | null; departmentId?: number | null; serviceId?: number | null; processingDays?: number; fee?: number; active?: boolean },
): Promise<void> {
  await db.query(
    `UPDATE procedures SET name = coalesce($3, name), name_en = CASE WHEN $4 THEN $5 ELSE name_en END,
        department_id = CASE WHEN $6 THEN $7::int ELSE department_id END, service_id = CASE WHEN $8 THEN $9::int ELSE service_id END,
        processing_days = coalesce($10, processing_days), fee = coalesce($11, fee), active = coalesce($12, active)
      WHERE hall_id = $1 AND id = $2`,
    [
      hallId,
      id,
      patch.name ?? null,
      patch.nameEn !== undefined,
      patch.nameEn ?? null,
      patch.departmentId !== undefined,
      patch.departmentId ?? null,
      patch.serviceId !== undefined,
      patch.serviceId ?? null,
      patch.processingDays ?? null,
      patch.fee ?? null,
      patch.active ?? null,
    ],
  );
}

/** Whether another procedure of the hall (not `exceptId`) has this name, whatever its case. */
export async function procedureNameTaken(db: Queryable, hallId: number, name: string, exceptId: number | null = null): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM procedures WHERE hall_id = $1 AND lower(name) = lower($2) AND ($3::int IS NULL OR id <> $3)', [
    hallId,
    name,
    exceptId,
  ]);
  return (rowCount ?? 0) > 0;
}

export async function rowExists(db: Queryable, table: 'departments' | 'services', hallId: number, id: number): Promise<boolean> {
  const { rowCount } = await db.query(`SELECT 1 FROM ${table} WHERE hall_id = $1 AND id = $2`, [hallId, id]);
  return (rowCount ?? 0) > 0;
}

// ---- holidays ----

export interface HolidayRow {
  id: number;
  day: string;
  name: string;
  kind: HolidayKind;
}

export async function holidaysBetween(db: Queryable, hallId: number, from: string, to: string): Promise<HolidayRow[]> {
  const { rows } = await db.query<HolidayRow>(
    `SELECT id, to_char(day, 'YYYY-MM-DD') AS day, name, kind FROM holidays WHERE hall_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day`,
    [hallId, from, to],
  );
  return rows;
}

export async function listHolidays(db: Queryable, hallId: number, year: number | null): Promise<HolidayRow[]> {
  const { rows } = await db.query<HolidayRow>(
    `SELECT id, to_char(day, 'YYYY-MM-DD') AS day, name, kind FROM holidays
      WHERE hall_id = $1 AND ($2::int IS NULL OR extract(year FROM day) = $2) ORDER BY day`,
    [hallId, year],
  );
  return rows;
}

/** Inserts a day; null when the hall already has an entry for that day. */
export async function insertHoliday(db: Queryable, hallId: number, h: { day: string; name: string; kind: HolidayKind }): Promise<HolidayRow | null> {
  const { rows } = await db.query<HolidayRow>(
    `INSERT INTO holidays (hall_id, day, name, kind) VALUES ($1, $2, $3, $4) ON CONFLICT (hall_id, day) DO NOTHING
     RETURNING id, to_char(day, 'YYYY-MM-DD') AS day, name, kind`,
    [hallId, h.day, h.name, h.kind],
  );
  return rows[0] ?? null;
}

export async function deleteHoliday(db: Queryable, hallId: number, id: number): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM holidays WHERE hall_id = $1 AND id = $2', [hallId, id]);
  return (rowCount ?? 0) > 0;
}

// ---- dossiers ----

/** Next daily sequence of the hall; the row lock serialises receptions of one hall until commit, so codes have no gap. */
export async function nextDossierSeq(db: Queryable, hallId: number, day: string): Promise<number> {
  const { rows } = await db.query<{ last_seq: number }>(
    `INSERT INTO dossier_sequences (hall_id, day, last_seq) VALUES ($1, $2, 1)
     ON CONFLICT (hall_id, day) DO UPDATE SET last_seq = dossier_sequences.last_seq + 1
     RETURNING last_seq`,
    [hallId, day],
  );
  return rows[0]!.last_seq;
}

export interface DossierRow {
  id: number;
  hall_id: number;
  code: string;
  day: string;
  seq: number;
  procedure_id: number;
  procedure_name: string;
  processing_days: number;
  applicant_name: string;
  applicant_phone: string | null;
  applicant_email: string | null;
  status: DossierStatus;
  received_at: Date;
  due_day: string;
  due_at: Date;
  result_at: Date | null;
  closed_at: Date | null;
  counter_id: number | null;
  counter_number: number | null;
  counter_name: string | null;
  staff_id: number | null;
  staff_name: string | null;
  ticket_id: number | null;
  hall_name: string;
  overdue: boolean;
}

/** `overdue`: still in progress past dueAt, or its result came after dueAt. */
const dossierColumns = `d.id, d.hall_id, d.code, to_char(d.day, 'YYYY-MM-DD') AS day, d.seq, d.procedure_id, p.name AS procedure_name,
    d.processing_days, d.applicant_name, d.applicant_phone, d.applicant_email, d.status, d.received_at,
    to_char(d.due_day, 'YYYY-MM-DD') AS due_day, d.due_at, d.result_at, d.closed_at,
    d.counter_id, c.number AS counter_number, c.name AS counter_name, d.staff_id, u.name AS staff_name, d.ticket_id, h.name AS hall_name,
    CASE WHEN d.result_at IS NOT NULL THEN d.result_at > d.due_at
         WHEN d.status IN ('rejected', 'withdrawn', 'suspended') THEN false
         ELSE now() > d.due_at END AS overdue`;
const dossierFrom = `FROM dossiers d
  JOIN procedures p ON p.id = d.procedure_id
  JOIN halls h ON h.id = d.hall_id
  LEFT JOIN counters c ON c.id = d.counter_id
  LEFT JOIN users u ON u.id = d.staff_id`;
const dossierSelect = `SELECT ${dossierColumns} ${dossierFrom}`;

/** Timestamps kept to the millisecond, so every reader (row or JSON) sees the same instant. */
const NOW_MS = `date_trunc('milliseconds', now())`;

export async function insertDossier(
  db: Queryable,
  d: {
    hallId: number;
    code: string;
    day: string;
    seq: number;
    procedureId: number;
    processingDays: number;
    applicantName: string;
    applicantPhone: string | null;
    applicantEmail: string | null;
    dueDay: string;
    closingTime: string;
    counterId: number | null;
    staffId: number | null;
    ticketId: number | null;
    integrationKeyId: number | null;
  },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO dossiers (hall_id, code, day, seq, procedure_id, processing_days, applicant_name, applicant_phone, applicant_email,
        status, received_at, due_day, due_at, counter_id, staff_id, ticket_id, integration_key_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'received', ${NOW_MS}, $10,
        ($10::date + $11::time) AT TIME ZONE (SELECT timezone FROM halls WHERE id = $1), $12, $13, $14, $15)
     RETURNING id`,
    [
      d.hallId,
      d.code,
      d.day,
      d.seq,
      d.procedureId,
      d.processingDays,
      d.applicantName,
      d.applicantPhone,
      d.applicantEmail,
      d.dueDay,
      d.closingTime,
      d.counterId,
      d.staffId,
      d.ticketId,
      d.integrationKeyId,
    ],
  );
  return rows[0]!.id;
}

/** A dossier by code; `hallId` null searches every hall (the public page). `lock` takes the row for an update. */
export async function findDossier(db: Queryable, code: string, hallId: number | null, lock = false): Promise<DossierRow | null> {
  const { rows } = await db.query<DossierRow>(
    `${dossierSelect} WHERE d.code = $1 AND ($2::int IS NULL OR d.hall_id = $2)${lock ? ' FOR UPDATE OF d' : ''}`,
    [code, hallId],
  );
  return rows[0] ?? null;
}

/**
 * A dossier by code with its whole timeline, in one round trip (the lookup kiosk's query). `hallId` null searches
 * every hall. Timeline entries carry who made them (staff member or outside system).
 */
export async function findDossierWithTimeline(
  db: Queryable,
  code: string,
  hallId: number | null,
): Promise<{ dossier: DossierRow; events: (EventRow & { by: string | null })[] } | null> {
  // A named statement: each connection plans it once (planning this join costs more than running it).
  const { rows } = await db.query<DossierRow & { events: { id: number; kind: EventRow['kind']; status: DossierStatus; from_status: DossierStatus | null; note: string | null; at: string; event_id: string | null; by: string | null }[] }>({
    name: 'dossier-with-timeline',
    text: `SELECT ${dossierColumns},
        coalesce((SELECT json_agg(json_build_object('id', e.id, 'kind', e.kind, 'status', e.status, 'from_status', e.from_status, 'note', e.note,
                                                    'at', e.at, 'event_id', e.event_id, 'by', coalesce(eu.name, ek.name)) ORDER BY e.id)
                    FROM dossier_events e LEFT JOIN users eu ON eu.id = e.staff_id LEFT JOIN integration_keys ek ON ek.id = e.integration_key_id
                   WHERE e.dossier_id = d.id), '[]'::json) AS events
     ${dossierFrom}
     WHERE d.code = $1 AND ($2::int IS NULL OR d.hall_id = $2)`,
    values: [code, hallId],
  });
  const row = rows[0];
  if (!row) return null;
  const { events, ...dossier } = row;
  return { dossier, events: events.map((e) => ({ ...e, at: new Date(e.at) })) };
}

export async function findDossierById(db: Queryable, id: number): Promise<DossierRow | null> {
  const { rows } = await db.query<DossierRow>(`${dossierSelect} WHERE d.id = $1`, [id]);
  return rows[0] ?? null;
}

export async function listDossiers(
  db: Queryable,
  q: { hallId: number; day: string; counterId: number | null; status: DossierStatus | null; search: string | null; limit: number },
): Promise<DossierRow[]> {
  const { rows } = await db.query<DossierRow>(
    `${dossierSelect}
      WHERE d.hall_id = $1 AND d.day = $2 AND ($3::int IS NULL OR d.counter_id = $3) AND ($4::text IS NULL OR d.status = $4)
        AND ($5::text IS NULL OR d.code ILIKE '%' || $5 || '%' OR d.applicant_name ILIKE '%' || $5 || '%'
             OR regexp_replace(coalesce(d.applicant_phone, ''), '[^0-9]', '', 'g') LIKE '%' || nullif(regexp_replace($5, '[^0-9]', '', 'g'), '') || '%')
      ORDER BY d.seq DESC LIMIT $6`,
    [q.hallId, q.day, q.counterId, q.status, q.search, q.limit],
  );
  return rows;
}

export async function setDossierStatus(db: Queryable, id: number, status: DossierStatus): Promise<void> {
  await db.query(
    `UPDATE dossiers SET status = $2, updated_at = now(),
        result_at = CASE WHEN $2 = 'result_ready' THEN coalesce(result_at, ${NOW_MS}) ELSE result_at END,
        closed_at = CASE WHEN $2 IN ('returned', 'rejected', 'withdrawn', 'suspended') THEN ${NOW_MS} ELSE closed_at END
      WHERE id = $1`,
    [id, status],
  );
}

export interface EventRow {
  id: number;
  kind: 'status' | 'notification';
  status: DossierStatus;
  from_status: DossierStatus | null;
  note: string | null;
  at: Date;
  event_id: string | null;
}

export async function insertEvent(
  db: Queryable,
  e: {
    dossierId: number;
    kind: 'status' | 'notification';
    status: DossierStatus;
    fromStatus: DossierStatus | null;
    note: string | null;
    staffId: number | null;
    counterId: number | null;
    integrationKeyId: number | null;
    eventId: string | null;
  },
): Promise<EventRow> {
  const { rows } = await db.query<EventRow>(
    `INSERT INTO dossier_events (dossier_id, kind, status, from_status, note, staff_id, counter_id, integration_key_id, event_id, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ${NOW_MS}) RETURNING id, kind, status, from_status, note, at, event_id`,
    [e.dossierId, e.kind, e.status, e.fromStatus, e.note, e.staffId, e.counterId, e.integrationKeyId, e.eventId],
  );
  return rows[0]!;
}

export async function timeline(db: Queryable, dossierId: number): Promise<(EventRow & { by: string | null })[]> {
  const { rows } = await db.query<EventRow & { by: string | null }>(
    `SELECT e.id, e.kind, e.status, e.from_status, e.note, e.at, e.event_id, coalesce(u.name, k.name) AS by
       FROM dossier_events e LEFT JOIN users u ON u.id = e.staff_id LEFT JOIN integration_keys k ON k.id = e.integration_key_id
      WHERE e.dossier_id = $1 ORDER BY e.id`,
    [dossierId],
  );
  return rows;
}

// ---- idempotent requests ----

/**
 * Claims (scope, eventId) for this transaction. Returns null when claimed; otherwise the earlier request
 * (a concurrent duplicate waits here until the first one commits or rolls back).
 */
export async function claimRequest(
  db: Queryable,
  scope: string,
  eventId: string,
  requestHash: string,
): Promise<{ request_hash: string; status_code: number | null; response: unknown } | null> {
  const ins = await db.query('INSERT INTO dossier_requests (scope, event_id, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
    scope,
    eventId,
    requestHash,
  ]);
  if ((ins.rowCount ?? 0) > 0) return null;
  const { rows } = await db.query<{ request_hash: string; status_code: number | null; response: unknown }>(
    'SELECT request_hash, status_code, response FROM dossier_requests WHERE scope = $1 AND event_id = $2',
    [scope, eventId],
  );
  return rows[0] ?? null;
}

/** Forgets eventIds older than `days` (a caller retries within minutes or hours, not months). */
export async function pruneRequests(db: Queryable, days: number): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM dossier_requests WHERE created_at < now() - make_interval(days => $1)`, [days]);
  return rowCount ?? 0;
}

export async function completeRequest(db: Queryable, scope: string, eventId: string, statusCode: number, response: unknown): Promise<void> {
  await db.query('UPDATE dossier_requests SET status_code = $3, response = $4 WHERE scope = $1 AND event_id = $2', [
    scope,
    eventId,
    statusCode,
    JSON.stringify(response),
  ]);
}

// ---- stats ----

export interface StatsRow {
  status: DossierStatus;
  n: number;
  early: number;
  on_time: number;
  late: number;
  pending: number;
  pending_overdue: number;
}

export async function stats(db: Queryable, hallId: number, from: string, to: string): Promise<StatsRow[]> {
  const { rows } = await db.query<StatsRow>(
    `SELECT status, count(*)::int AS n,
            count(*) FILTER (WHERE result_at IS NOT NULL AND (result_at AT TIME ZONE h.timezone)::date < due_day)::int AS early,
            count(*) FILTER (WHERE result_at IS NOT NULL AND (result_at AT TIME ZONE h.timezone)::date >= due_day AND result_at <= due_at)::int AS on_time,
            count(*) FILTER (WHERE result_at IS NOT NULL AND result_at > due_at)::int AS late,
            count(*) FILTER (WHERE result_at IS NULL AND status IN ('received', 'processing', 'supplement_required', 'payment_required') AND now() <= due_at)::int AS pending,
            count(*) FILTER (WHERE result_at IS NULL AND status IN ('received', 'processing', 'supplement_required', 'payment_required') AND now() > due_at)::int AS pending_overdue
       FROM dossiers d JOIN halls h ON h.id = d.hall_id
      WHERE d.hall_id = $1 AND d.day BETWEEN $2 AND $3
      GROUP BY status`,
    [hallId, from, to],
  );
  return rows;
}
