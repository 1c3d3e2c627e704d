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
export interface HallSettingsRow {
  priorityInterleave?: number;
  priorityAgeingMinutes?: number;
  maxRequeue?: number;
  agencyId?: string;
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

export async function updateService(db: Queryable, hallId: number, id: number, patch: { active?: boolean; name?: string }): Promise<ServiceRow | null> {
  const { rows } = await db.query<ServiceRow>(
    `UPDATE services SET active = coalesce($3, active), name = coalesce($4, name) WHERE hall_id = $1 AND id = $2 RETURNING *`,
    [hallId, id, patch.active ?? null, patch.name ?? null],
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

export async function counterNumberTaken(db: Queryable, hallId: number, number: number): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM counters WHERE hall_id = $1 AND number = $2', [hallId, number]);
  return (rowCount ?? 0) > 0;
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
