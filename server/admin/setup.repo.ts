import type { Queryable } from '../db/pool.js';
import type { CounterStatus } from '../../protocol/index.js';

export interface HallRow {
  id: number;
  code: string;
  name: string;
  timezone: string;
  settings: HallSettingsRow;
  day: string;
}
/** What `halls.settings` may hold (jsonb, so each reader checks its field; voice fields: protocol/voice.ts). */
export interface HallSettingsRow {
  priorityInterleave?: number;
  priorityAgeingMinutes?: number;
  maxRequeue?: number;
  agencyId?: string;
  closingTime?: string;
  idleAlertMinutes?: number;
  ratingWindowMinutes?: number;
  ratingOfflineGraceHours?: number;
  ticketFooter?: string;
  rankingMinRatings?: number;
  openingTime?: string | null;
  unprintedTicketMinutes?: number;
  displayLanguages?: string[];
  kioskTicketsPerMinute?: number;
}

export interface ServiceRow {
  id: number;
  hall_id: number;
  department_id: number | null;
  name: string;
  name_en: string | null;
  prefix: string;
  number_start: number;
  number_end: number;
  default_service_seconds: number;
  active: boolean;
}

export interface CounterRow {
  id: number;
  hall_id: number;
  number: number;
  name: string;
  status: CounterStatus;
  staff_id: number | null;
  opened_at: string | null;
  priority_streak: number;
  service_ids: number[];
}

export async function findHall(db: Queryable, hallId: number): Promise<HallRow | null> {
  const { rows } = await db.query<HallRow>(
    `SELECT id, code, name, timezone, settings, to_char((now() AT TIME ZONE timezone)::date, 'YYYY-MM-DD') AS day
       FROM halls WHERE id = $1`,
    [hallId],
  );
  return rows[0] ?? null;
}

export async function firstHall(db: Queryable): Promise<HallRow | null> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM halls ORDER BY id LIMIT 1');
  return rows[0] ? findHall(db, rows[0].id) : null;
}

export async function insertHall(db: Queryable, h: { code: string; name: string; settings?: HallSettingsRow }): Promise<number> {
  const { rows } = await db.query<{ id: number }>('INSERT INTO halls (code, name, settings) VALUES ($1, $2, $3) RETURNING id', [
    h.code,
    h.name,
    JSON.stringify(h.settings ?? {}),
  ]);
  return rows[0]!.id;
}

/** Renames the hall and merges `set` into its settings, removing the keys in `remove`; false when there is no such hall. */
export async function updateHall(db: Queryable, hallId: number, patch: { name: string | null; set: Record<string, unknown>; remove: string[] }): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE halls SET name = coalesce($2, name), settings = (settings || $3::jsonb) - $4::text[] WHERE id = $1`,
    [hallId, patch.name, JSON.stringify(patch.set), patch.remove],
  );
  return (rowCount ?? 0) > 0;
}

export async function listDepartments(db: Queryable, hallId: number) {
  const { rows } = await db.query<{ id: number; name: string; name_en: string | null }>(
    'SELECT id, name, name_en FROM departments WHERE hall_id = $1 ORDER BY id',
    [hallId],
  );
  return rows;
}

export async function insertDepartment(db: Queryable, hallId: number, name: string, nameEn: string | null): Promise<number> {
  const { rows } = await db.query<{ id: number }>('INSERT INTO departments (hall_id, name, name_en) VALUES ($1, $2, $3) RETURNING id', [
    hallId,
    name,
    nameEn,
  ]);
  return rows[0]!.id;
}

export async function updateDepartment(
  db: Queryable,
  hallId: number,
  id: number,
  patch: { name?: string; nameEn?: string | null },
): Promise<{ id: number; name: string; name_en: string | null } | null> {
  const { rows } = await db.query<{ id: number; name: string; name_en: string | null }>(
    `UPDATE departments SET name = coalesce($3, name), name_en = CASE WHEN $4 THEN $5 ELSE name_en END
      WHERE hall_id = $1 AND id = $2 RETURNING id, name, name_en`,
    [hallId, id, patch.name ?? null, patch.nameEn !== undefined, patch.nameEn ?? null],
  );
  return rows[0] ?? null;
}

export async function departmentExists(db: Queryable, hallId: number, id: number): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM departments WHERE hall_id = $1 AND id = $2', [hallId, id]);
  return (rowCount ?? 0) > 0;
}

export async function listServices(db: Queryable, hallId: number): Promise<(ServiceRow & { waiting: number })[]> {
  const { rows } = await db.query<ServiceRow & { waiting: number }>(
    `SELECT s.*, (SELECT count(*)::int FROM tickets t WHERE t.service_id = s.id AND t.status = 'waiting'
                    AND t.day = (now() AT TIME ZONE h.timezone)::date) AS waiting
       FROM services s JOIN halls h ON h.id = s.hall_id WHERE s.hall_id = $1 ORDER BY s.sort_order, s.id`,
    [hallId],
  );
  return rows;
}

export async function findService(db: Queryable, hallId: number, id: number, lock = false): Promise<ServiceRow | null> {
  const { rows } = await db.query<ServiceRow>(`SELECT * FROM services WHERE hall_id = $1 AND id = $2${lock ? ' FOR SHARE' : ''}`, [hallId, id]);
  return rows[0] ?? null;
}

export async function insertService(
  db: Queryable,
  s: { hallId: number; departmentId: number | null; name: string; nameEn: string | null; prefix: string; numberStart: number; numberEnd: number; defaultServiceSeconds: number; active: boolean },
): Promise<ServiceRow> {
  const { rows } = await db.query<ServiceRow>(
    `INSERT INTO services (hall_id, department_id, name, name_en, prefix, number_start, number_end, default_service_seconds, active, sort_order)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, (SELECT coalesce(max(sort_order), 0) + 1 FROM services WHERE hall_id = $1)) RETURNING *`,
    [s.hallId, s.departmentId, s.name, s.nameEn, s.prefix, s.numberStart, s.numberEnd, s.defaultServiceSeconds, s.active],
  );
  return rows[0]!;
}

/** Updates the fields given; `nameEn`/`departmentId` undefined keep their value, null clears it. */
export async function updateService(
  db: Queryable,
  hallId: number,
  id: number,
  patch: {
    active?: boolean;
    name?: string;
    nameEn?: string | null;
    prefix?: string;
    numberStart?: number;
    numberEnd?: number;
    departmentId?: number | null;
    defaultServiceSeconds?: number;
  },
): Promise<ServiceRow | null> {
  const { rows } = await db.query<ServiceRow>(
    `UPDATE services SET active = coalesce($3, active), name = coalesce($4, name),
        name_en = CASE WHEN $5 THEN $6 ELSE name_en END, prefix = coalesce($7, prefix),
        number_start = coalesce($8, number_start), number_end = coalesce($9, number_end),
        department_id = CASE WHEN $10 THEN $11::int ELSE department_id END,
        default_service_seconds = coalesce($12, default_service_seconds)
      WHERE hall_id = $1 AND id = $2 RETURNING *`,
    [
      hallId,
      id,
      patch.active ?? null,
      patch.name ?? null,
      patch.nameEn !== undefined,
      patch.nameEn ?? null,
      patch.prefix ?? null,
      patch.numberStart ?? null,
      patch.numberEnd ?? null,
      patch.departmentId !== undefined,
      patch.departmentId ?? null,
      patch.defaultServiceSeconds ?? null,
    ],
  );
  return rows[0] ?? null;
}

/** Another service of the hall that prints the same numbers (same prefix, overlapping range), if any. */
export async function serviceNumberClash(
  db: Queryable,
  hallId: number,
  s: { prefix: string; numberStart: number; numberEnd: number; exceptId: number | null },
): Promise<{ id: number; name: string } | null> {
  const { rows } = await db.query<{ id: number; name: string }>(
    `SELECT id, name FROM services
      WHERE hall_id = $1 AND prefix = $2 AND number_start <= $4 AND number_end >= $3 AND ($5::int IS NULL OR id <> $5)
      ORDER BY id LIMIT 1`,
    [hallId, s.prefix, s.numberStart, s.numberEnd, s.exceptId],
  );
  return rows[0] ?? null;
}

const counterSelect = `SELECT c.*, coalesce(array_agg(cs.service_id ORDER BY cs.service_id) FILTER (WHERE cs.service_id IS NOT NULL), '{}') AS service_ids
  FROM counters c LEFT JOIN counter_services cs ON cs.counter_id = c.id`;

export async function listCounters(db: Queryable, hallId: number): Promise<CounterRow[]> {
  const { rows } = await db.query<CounterRow>(`${counterSelect} WHERE c.hall_id = $1 GROUP BY c.id ORDER BY c.number`, [hallId]);
  return rows;
}

export async function findCounter(db: Queryable, hallId: number, id: number): Promise<CounterRow | null> {
  const { rows } = await db.query<CounterRow>(`${counterSelect} WHERE c.hall_id = $1 AND c.id = $2 GROUP BY c.id`, [hallId, id]);
  return rows[0] ?? null;
}

export interface LockedCounterRow extends CounterRow {
  /** The hall's settings and today's hall day, read with the lock so a counter action needs no other hall query. */
  hall_settings: HallSettingsRow;
  hall_day: string;
}

/** Locks the counter row for the rest of the transaction: every action on one counter runs one at a time. */
export async function lockCounter(db: Queryable, hallId: number, id: number): Promise<LockedCounterRow | null> {
  const { rows } = await db.query<LockedCounterRow>(
    `SELECT c.*, h.settings AS hall_settings, (now() AT TIME ZONE h.timezone)::date AS hall_day,
            ARRAY(SELECT service_id FROM counter_services WHERE counter_id = c.id ORDER BY service_id) AS service_ids
       FROM counters c JOIN halls h ON h.id = c.hall_id
      WHERE c.hall_id = $1 AND c.id = $2 FOR NO KEY UPDATE OF c`,
    [hallId, id],
  );
  return rows[0] ?? null;
}

export async function counterNumberTaken(db: Queryable, hallId: number, number: number, exceptId: number | null = null): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM counters WHERE hall_id = $1 AND number = $2 AND ($3::int IS NULL OR id <> $3)', [hallId, number, exceptId]);
  return (rowCount ?? 0) > 0;
}

export async function updateCounter(db: Queryable, id: number, patch: { number?: number; name?: string }): Promise<void> {
  await db.query('UPDATE counters SET number = coalesce($2, number), name = coalesce($3, name) WHERE id = $1', [id, patch.number ?? null, patch.name ?? null]);
}

export async function setCounterServices(db: Queryable, id: number, serviceIds: number[]): Promise<void> {
  await db.query('DELETE FROM counter_services WHERE counter_id = $1 AND NOT (service_id = ANY($2::int[]))', [id, serviceIds]);
  await db.query('INSERT INTO counter_services (counter_id, service_id) SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING', [id, serviceIds]);
}

export async function insertCounter(db: Queryable, hallId: number, number: number, name: string, serviceIds: number[]): Promise<number> {
  const { rows } = await db.query<{ id: number }>('INSERT INTO counters (hall_id, number, name) VALUES ($1, $2, $3) RETURNING id', [hallId, number, name]);
  const id = rows[0]!.id;
  await db.query('INSERT INTO counter_services (counter_id, service_id) SELECT $1, unnest($2::int[])', [id, serviceIds]);
  return id;
}

export async function countExistingServices(db: Queryable, hallId: number, ids: number[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM services WHERE hall_id = $1 AND id = ANY($2::int[])', [hallId, ids]);
  return rows[0]!.n;
}

export async function setCounterState(
  db: Queryable,
  id: number,
  s: { status: CounterStatus; staffId: number | null; openedAt?: 'now' | 'keep' | 'clear' },
): Promise<void> {
  const opened = s.openedAt === 'now' ? 'now()' : s.openedAt === 'clear' ? 'NULL' : 'opened_at';
  await db.query(`UPDATE counters SET status = $2, staff_id = $3, opened_at = ${opened}, priority_streak = CASE WHEN $2 = 'closed' THEN 0 ELSE priority_streak END WHERE id = $1`, [
    id,
    s.status,
    s.staffId,
  ]);
}

export async function counterOfStaff(db: Queryable, staffId: number): Promise<{ id: number; number: number } | null> {
  const { rows } = await db.query<{ id: number; number: number }>('SELECT id, number FROM counters WHERE staff_id = $1', [staffId]);
  return rows[0] ?? null;
}

export async function findUserBrief(db: Queryable, id: number) {
  const { rows } = await db.query<{ id: number; name: string; title: string | null }>('SELECT id, name, title FROM users WHERE id = $1', [id]);
  return rows[0] ?? null;
}
