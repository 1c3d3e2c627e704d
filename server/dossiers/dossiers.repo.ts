/** SQL of the dossier domain: procedures, dossiers and their timeline, holidays, idempotent requests. */
import type { Queryable } from '../db/pool.js';
import type { DossierEventStatus, DossierStatus, HolidayKind, MissingPaper, Paper, ReturnMethod, SubmissionChannel } from '../../protocol/index.js';

// ---- halls and people ----

export interface HallInfo {
  id: number;
  name: string;
  code: string;
  agency_id: string | null;
  closing_time: string | null;
  day: string;
  /** The hall's local time now, `YYYY-MM-DD HH:MM`. */
  local_now: string;
  timezone: string;
  /** Where forms are signed ("…, ngày … tháng … năm …"): the `placeName` setting, if any. */
  place_name: string | null;
}

/** The hall as a dossier needs it, with its current day (in its time zone, by the database clock). */
export async function hallInfo(db: Queryable, hallId: number): Promise<HallInfo | null> {
  const { rows } = await db.query<HallInfo>(
    `SELECT id, name, code, settings->>'agencyId' AS agency_id, settings->>'closingTime' AS closing_time,
            to_char((now() AT TIME ZONE timezone)::date, 'YYYY-MM-DD') AS day,
            to_char(now() AT TIME ZONE timezone, 'YYYY-MM-DD HH24:MI') AS local_now, timezone, settings->>'placeName' AS place_name
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
  papers: Paper[];
  cutoff_time: string | null;
  processing_hours: number | null;
}

const procedureSelect = `SELECT p.id, p.hall_id, p.department_id, d.name AS department_name, p.service_id, p.name, p.name_en,
    p.processing_days, p.fee, p.active, p.papers, p.cutoff_time, p.processing_hours
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
  p: {
    hallId: number;
    departmentId: number | null;
    serviceId: number | null;
    name: string;
    nameEn: string | null;
    processingDays: number;
    fee: number;
    active: boolean;
    papers?: Paper[];
    cutoffTime?: string | null;
    processingHours?: number | null;
  },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO procedures (hall_id, department_id, service_id, name, name_en, processing_days, fee, active, papers, cutoff_time, processing_hours)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [p.hallId, p.departmentId, p.serviceId, p.name, p.nameEn, p.processingDays, p.fee, p.active, JSON.stringify(p.papers ?? []), p.cutoffTime ?? null, p.processingHours ?? null],
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
  patch: {
    name?: string;
    nameEn?: string | null;
    departmentId?: number | null;
    serviceId?: number | null;
    processingDays?: number;
    fee?: number;
    active?: boolean;
    papers?: Paper[];
    cutoffTime?: string | null;
    processingHours?: number | null;
  },
): Promise<void> {
  await db.query(
    `UPDATE procedures SET name = coalesce($3, name), name_en = CASE WHEN $4 THEN $5 ELSE name_en END,
        department_id = CASE WHEN $6 THEN $7::int ELSE department_id END, service_id = CASE WHEN $8 THEN $9::int ELSE service_id END,
        processing_days = coalesce($10, processing_days), fee = coalesce($11, fee), active = coalesce($12, active),
        papers = coalesce($13::jsonb, papers), cutoff_time = CASE WHEN $14 THEN $15 ELSE cutoff_time END,
        processing_hours = CASE WHEN $16 THEN $17::int ELSE processing_hours END
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
      patch.papers ? JSON.stringify(patch.papers) : null,
      patch.cutoffTime !== undefined,
      patch.cutoffTime ?? null,
      patch.processingHours !== undefined,
      patch.processingHours ?? null,
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
  provisional: boolean;
}

export async function holidaysBetween(db: Queryable, hallId: number, from: string, to: string): Promise<HolidayRow[]> {
  const { rows } = await db.query<HolidayRow>(
    `SELECT id, to_char(day, 'YYYY-MM-DD') AS day, name, kind, provisional FROM holidays WHERE hall_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day`,
    [hallId, from, to],
  );
  return rows;
}

export async function listHolidays(db: Queryable, hallId: number, year: number | null): Promise<HolidayRow[]> {
  const { rows } = await db.query<HolidayRow>(
    `SELECT id, to_char(day, 'YYYY-MM-DD') AS day, name, kind, provisional FROM holidays
      WHERE hall_id = $1 AND ($2::int IS NULL OR extract(year FROM day) = $2) ORDER BY day`,
    [hallId, year],
  );
  return rows;
}

/** Inserts a day; null when the hall already has an entry for that day. */
export async function insertHoliday(
  db: Queryable,
  hallId: number,
  h: { day: string; name: string; kind: HolidayKind; provisional?: boolean },
): Promise<HolidayRow | null> {
  const { rows } = await db.query<HolidayRow>(
    `INSERT INTO holidays (hall_id, day, name, kind, provisional) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (hall_id, day) DO NOTHING
     RETURNING id, to_char(day, 'YYYY-MM-DD') AS day, name, kind, provisional`,
    [hallId, h.day, h.name, h.kind, h.provisional ?? false],
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
  applicant_id_number: string | null;
  applicant_birth_date: string | null;
  applicant_address: string | null;
  channel: SubmissionChannel;
  return_method: ReturnMethod;
  return_address: string | null;
  papers: Paper[];
  sets: number;
  fee: number;
  processing_hours: number | null;
  original_due_at: Date;
  paused_at: Date | null;
  supplement_rounds: number;
  lookup_key: string | null;
  form_version: string;
  snapshot: DossierSnapshot;
  timezone: string;
  /** due_at and paused_at in the hall's local time, `YYYY-MM-DD HH:MM`. */
  due_local: string;
  paused_local: string | null;
}

/** What the receipt printed, kept so forms printed later show the same (procedure renamed, hall renamed, staff left). */
export interface DossierSnapshot {
  procedureName?: string;
  hallName?: string;
  agencyName?: string;
  placeName?: string;
  staffName?: string | null;
  processing?: string;
}

/** `overdue`: still in progress past dueAt, or its result came after dueAt. */
const dossierColumns = `d.id, d.hall_id, d.code, to_char(d.day, 'YYYY-MM-DD') AS day, d.seq, d.procedure_id, p.name AS procedure_name,
    d.processing_days, d.applicant_name, d.applicant_phone, d.applicant_email, d.status, d.received_at,
    to_char(d.due_day, 'YYYY-MM-DD') AS due_day, d.due_at, d.result_at, d.closed_at,
    d.counter_id, c.number AS counter_number, c.name AS counter_name, d.staff_id, u.name AS staff_name, d.ticket_id, h.name AS hall_name,
    CASE WHEN d.result_at IS NOT NULL THEN d.result_at > d.due_at
         WHEN d.status IN ('rejected', 'withdrawn', 'suspended') THEN false
         ELSE now() > d.due_at END AS overdue,
    d.applicant_id_number, to_char(d.applicant_birth_date, 'YYYY-MM-DD') AS applicant_birth_date, d.applicant_address, d.channel,
    d.return_method, d.return_address, d.papers, d.sets, d.fee, d.processing_hours, d.original_due_at, d.paused_at, d.supplement_rounds,
    d.lookup_key, d.form_version, d.snapshot, h.timezone,
    to_char(d.due_at AT TIME ZONE h.timezone, 'YYYY-MM-DD HH24:MI') AS due_local,
    to_char(d.paused_at AT TIME ZONE h.timezone, 'YYYY-MM-DD HH24:MI') AS paused_local`;
const dossierFrom = `FROM dossiers d
  JOIN procedures p ON p.id = d.procedure_id
  JOIN halls h ON h.id = d.hall_id
  LEFT JOIN counters c ON c.id = d.counter_id
  LEFT JOIN users u ON u.id = d.staff_id`;
const dossierSelect = `SELECT ${dossierColumns} ${dossierFrom}`;

const EVENT_COLUMNS = 'id, kind, status, from_status, note, at, event_id, for_citizen, reason, papers, old_due_at, new_due_at';

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
    /** HH:MM of the due day (the closing time, or the hour a working-hours procedure ends). */
    dueTime: string;
    counterId: number | null;
    staffId: number | null;
    ticketId: number | null;
    integrationKeyId: number | null;
    applicantIdNumber: string | null;
    applicantBirthDate: string | null;
    applicantAddress: string | null;
    channel: SubmissionChannel;
    returnMethod: ReturnMethod;
    returnAddress: string | null;
    papers: Paper[];
    sets: number;
    fee: number;
    processingHours: number | null;
    lookupKey: string;
    formVersion: string;
    snapshot: DossierSnapshot;
  },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `WITH due AS (SELECT ($10::date + $11::time) AT TIME ZONE (SELECT timezone FROM halls WHERE id = $1) AS at)
     INSERT INTO dossiers (hall_id, code, day, seq, procedure_id, processing_days, applicant_name, applicant_phone, applicant_email,
        status, received_at, due_day, due_at, original_due_at, counter_id, staff_id, ticket_id, integration_key_id,
        applicant_id_number, applicant_birth_date, applicant_address, channel, return_method, return_address, papers, sets, fee,
        processing_hours, lookup_key, form_version, snapshot)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, 'received', ${NOW_MS}, $10, due.at, due.at, $12, $13, $14, $15,
        $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28
       FROM due
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
      d.dueTime,
      d.counterId,
      d.staffId,
      d.ticketId,
      d.integrationKeyId,
      d.applicantIdNumber,
      d.applicantBirthDate,
      d.applicantAddress,
      d.channel,
      d.returnMethod,
      d.returnAddress,
      JSON.stringify(d.papers),
      d.sets,
      d.fee,
      d.processingHours,
      d.lookupKey,
      d.formVersion,
      JSON.stringify(d.snapshot),
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
  const { rows } = await db.query<DossierRow & { events: (Omit<EventRow, 'at' | 'old_due_at' | 'new_due_at'> & { at: string; old_due_at: string | null; new_due_at: string | null; by: string | null })[] }>({
    name: 'dossier-with-timeline',
    text: `SELECT ${dossierColumns},
        coalesce((SELECT json_agg(json_build_object('id', e.id, 'kind', e.kind, 'status', e.status, 'from_status', e.from_status, 'note', e.note,
                                                    'at', e.at, 'event_id', e.event_id, 'by', coalesce(eu.name, ek.name),
                                                    'for_citizen', e.for_citizen, 'reason', e.reason, 'papers', e.papers,
                                                    'old_due_at', e.old_due_at, 'new_due_at', e.new_due_at, 'staff_name', eu.name) ORDER BY e.id)
                    FROM dossier_events e LEFT JOIN users eu ON eu.id = e.staff_id LEFT JOIN integration_keys ek ON ek.id = e.integration_key_id
                   WHERE e.dossier_id = d.id), '[]'::json) AS events
     ${dossierFrom}
     WHERE d.code = $1 AND ($2::int IS NULL OR d.hall_id = $2)`,
    values: [code, hallId],
  });
  const row = rows[0];
  if (!row) return null;
  const { events, ...dossier } = row;
  return {
    dossier,
    events: events.map((e) => ({
      ...e,
      at: new Date(e.at),
      old_due_at: e.old_due_at ? new Date(e.old_due_at) : null,
      new_due_at: e.new_due_at ? new Date(e.new_due_at) : null,
    })),
  };
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

/**
 * Sets the status. Entering `supplement_required` stops the clock (paused_at) and counts a round; leaving it
 * restarts the clock (the caller moves the due date first with setDue).
 */
export async function setDossierStatus(db: Queryable, id: number, status: DossierStatus): Promise<void> {
  await db.query(
    `UPDATE dossiers SET status = $2, updated_at = now(),
        paused_at = CASE WHEN $2 = 'supplement_required' THEN ${NOW_MS} ELSE NULL END,
        supplement_rounds = supplement_rounds + CASE WHEN $2 = 'supplement_required' THEN 1 ELSE 0 END,
        result_at = CASE WHEN $2 = 'result_ready' THEN coalesce(result_at, ${NOW_MS}) ELSE result_at END,
        closed_at = CASE WHEN $2 IN ('returned', 'rejected', 'withdrawn', 'suspended') THEN ${NOW_MS} ELSE closed_at END
      WHERE id = $1`,
    [id, status],
  );
}

/** Moves the due date: a local day and HH:MM of the hall. */
export async function setDue(db: Queryable, id: number, dueDay: string, dueTime: string): Promise<void> {
  await db.query(
    `UPDATE dossiers d SET due_day = $2, due_at = ($2::date + $3::time) AT TIME ZONE h.timezone, updated_at = now()
       FROM halls h WHERE h.id = d.hall_id AND d.id = $1`,
    [id, dueDay, dueTime],
  );
}

/** Sets a new due instant (an extension); the due day follows in the hall's time zone. */
export async function setDueAt(db: Queryable, id: number, dueAt: string): Promise<void> {
  await db.query(
    `UPDATE dossiers d SET due_at = $2::timestamptz, due_day = ($2::timestamptz AT TIME ZONE h.timezone)::date, updated_at = now()
       FROM halls h WHERE h.id = d.hall_id AND d.id = $1`,
    [id, dueAt],
  );
}

export interface EventRow {
  id: number;
  kind: 'status' | 'notification';
  status: DossierEventStatus;
  from_status: DossierStatus | null;
  note: string | null;
  at: Date;
  event_id: string | null;
  for_citizen: boolean;
  reason: string | null;
  papers: MissingPaper[] | null;
  old_due_at: Date | null;
  new_due_at: Date | null;
  staff_name?: string | null;
}

export async function insertEvent(
  db: Queryable,
  e: {
    dossierId: number;
    kind: 'status' | 'notification';
    status: DossierEventStatus;
    fromStatus: DossierStatus | null;
    note: string | null;
    staffId: number | null;
    counterId: number | null;
    integrationKeyId: number | null;
    eventId: string | null;
    forCitizen?: boolean;
    reason?: string | null;
    papers?: MissingPaper[] | null;
    oldDueAt?: Date | null;
    newDueAt?: Date | null;
  },
): Promise<EventRow> {
  const { rows } = await db.query<EventRow>(
    `INSERT INTO dossier_events (dossier_id, kind, status, from_status, note, staff_id, counter_id, integration_key_id, event_id, at,
        for_citizen, reason, papers, old_due_at, new_due_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ${NOW_MS}, $10, $11, $12, $13, $14)
     RETURNING ${EVENT_COLUMNS}`,
    [
      e.dossierId,
      e.kind,
      e.status,
      e.fromStatus,
      e.note,
      e.staffId,
      e.counterId,
      e.integrationKeyId,
      e.eventId,
      e.forCitizen ?? false,
      e.reason ?? null,
      e.papers ? JSON.stringify(e.papers) : null,
      e.oldDueAt ?? null,
      e.newDueAt ?? null,
    ],
  );
  return rows[0]!;
}

export async function timeline(db: Queryable, dossierId: number): Promise<(EventRow & { by: string | null })[]> {
  const { rows } = await db.query<EventRow & { by: string | null }>(
    `SELECT ${EVENT_COLUMNS.replace(/(^|, )/g, '$1e.')}, coalesce(u.name, k.name) AS by, u.name AS staff_name
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

// ---- hand-overs ----

export interface HandoverRow {
  id: number;
  from_unit: string;
  to_unit: string;
  by: string | null;
  at: Date;
  deadline_at: Date | null;
  outcome: string | null;
  done_at: Date | null;
}

export async function handovers(db: Queryable, dossierId: number): Promise<HandoverRow[]> {
  const { rows } = await db.query<HandoverRow>(
    `SELECT h.id, h.from_unit, h.to_unit, u.name AS by, h.at, h.deadline_at, h.outcome, h.done_at
       FROM dossier_handovers h LEFT JOIN users u ON u.id = h.staff_id WHERE h.dossier_id = $1 ORDER BY h.id`,
    [dossierId],
  );
  return rows;
}

export async function insertHandover(
  db: Queryable,
  h: { dossierId: number; fromUnit: string; toUnit: string; staffId: number | null; deadlineAt: string | null },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO dossier_handovers (dossier_id, from_unit, to_unit, staff_id, deadline_at, at) VALUES ($1, $2, $3, $4, $5, ${NOW_MS}) RETURNING id`,
    [h.dossierId, h.fromUnit, h.toUnit, h.staffId, h.deadlineAt],
  );
  return rows[0]!.id;
}

/** Records a hand-over's outcome; false when the dossier has no such open hand-over. */
export async function completeHandover(db: Queryable, dossierId: number, id: number, outcome: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE dossier_handovers SET outcome = $3, done_at = ${NOW_MS} WHERE dossier_id = $1 AND id = $2 AND done_at IS NULL`,
    [dossierId, id, outcome],
  );
  return (rowCount ?? 0) > 0;
}

// ---- the register (sổ theo dõi hồ sơ) ----

export interface RegisterRow {
  code: string;
  procedure_name: string;
  applicant_name: string;
  applicant_address: string | null;
  applicant_phone: string | null;
  channel: SubmissionChannel;
  status: DossierStatus;
  received_at: Date;
  due_at: Date;
  original_due_at: Date;
  result_at: Date | null;
  closed_at: Date | null;
  snapshot: DossierSnapshot;
}

/** Dossiers received from `from` to `to` (hall days, inclusive), in order of receipt. */
export async function registerRows(db: Queryable, hallId: number, from: string, to: string): Promise<RegisterRow[]> {
  const { rows } = await db.query<RegisterRow>(
    `SELECT d.code, p.name AS procedure_name, d.applicant_name, d.applicant_address, d.applicant_phone, d.channel, d.status,
            d.received_at, d.due_at, d.original_due_at, d.result_at, d.closed_at, d.snapshot
       FROM dossiers d JOIN procedures p ON p.id = d.procedure_id
      WHERE d.hall_id = $1 AND d.day BETWEEN $2 AND $3 ORDER BY d.day, d.seq`,
    [hallId, from, to],
  );
  return rows;
}

/** The counter a device (an agent) is paired with and the staff member who holds it now, if any. */
export async function counterStaffOfDevice(db: Queryable, hallId: number, deviceId: number): Promise<{ counterId: number; staffId: number } | null> {
  const { rows } = await db.query<{ counter_id: number; staff_id: number }>(
    `SELECT c.id AS counter_id, c.staff_id FROM devices d JOIN counters c ON c.id = d.counter_id
      WHERE d.hall_id = $1 AND d.id = $2 AND d.revoked_at IS NULL AND c.staff_id IS NOT NULL AND c.status <> 'closed'`,
    [hallId, deviceId],
  );
  return rows[0] ? { counterId: rows[0].counter_id, staffId: rows[0].staff_id } : null;
}
