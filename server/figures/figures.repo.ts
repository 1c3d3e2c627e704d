/** SQL of the official figures: the per-dossier figures table, the report aggregates, ratings, the catalogue. */
import type { Queryable } from '../db/pool.js';
import type { Paper } from '../../protocol/figures.js';
import type { Figure } from './standing.js';

export interface HallRow {
  id: number;
  code: string;
  name: string;
  timezone: string;
  today: string;
}

const HALL = `SELECT id, code, name, timezone, to_char((now() AT TIME ZONE timezone)::date, 'YYYY-MM-DD') AS today FROM halls`;

export async function hallById(db: Queryable, id: number): Promise<HallRow | null> {
  const { rows } = await db.query<HallRow>(`${HALL} WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function hallByCode(db: Queryable, code: string): Promise<HallRow | null> {
  const { rows } = await db.query<HallRow>(`${HALL} WHERE code = $1`, [code]);
  return rows[0] ?? null;
}

export async function firstHall(db: Queryable): Promise<HallRow | null> {
  const { rows } = await db.query<HallRow>(`${HALL} ORDER BY id LIMIT 1`);
  return rows[0] ?? null;
}

export async function calendarDays(db: Queryable, hallId: number): Promise<{ day: string; kind: 'holiday' | 'workday' }[]> {
  const { rows } = await db.query<{ day: string; kind: 'holiday' | 'workday' }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM holidays WHERE hall_id = $1`,
    [hallId],
  );
  return rows;
}

// ---- the figures table ----

/**
 * Takes up to `limit` stale dossiers of the hall off the list. One refresh of a hall at a time (a transaction-level
 * lock): a second report waits for the first one's batch, so it never reads figures another is still writing.
 */
export async function claimStale(db: Queryable, hallId: number, limit: number): Promise<number[]> {
  await db.query('SELECT pg_advisory_xact_lock(727060, $1)', [hallId]);
  const { rows } = await db.query<{ dossier_id: number }>(
    `DELETE FROM dossier_figures_stale WHERE dossier_id IN (
       SELECT dossier_id FROM dossier_figures_stale WHERE hall_id = $1 LIMIT $2 FOR UPDATE)
     RETURNING dossier_id`,
    [hallId, limit],
  );
  return rows.map((r) => r.dossier_id);
}

export interface BasisRow {
  id: number;
  procedure_id: number;
  channel: string;
  received_day: string;
  due_day: string;
  processing_days: number;
}

export async function bases(db: Queryable, ids: readonly number[]): Promise<BasisRow[]> {
  const { rows } = await db.query<BasisRow>(
    `SELECT id, procedure_id, channel, to_char(day, 'YYYY-MM-DD') AS received_day, to_char(due_day, 'YYYY-MM-DD') AS due_day, processing_days
       FROM dossiers WHERE id = ANY($1::bigint[])`,
    [ids],
  );
  return rows;
}

/** Status events of the dossiers as hall days, in the order they happened. */
export async function steps(db: Queryable, ids: readonly number[], timezone: string): Promise<{ dossier_id: number; status: string; day: string }[]> {
  const { rows } = await db.query<{ dossier_id: number; status: string; day: string }>(
    `SELECT dossier_id, status, to_char((at AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS day
       FROM dossier_events WHERE dossier_id = ANY($1::bigint[]) AND kind = 'status' ORDER BY dossier_id, at, id`,
    [ids, timezone],
  );
  return rows;
}

export async function upsertFigures(db: Queryable, hallId: number, rows: readonly (Figure & BasisRow)[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof (Figure & BasisRow)>(k: K) => rows.map((r) => r[k]);
  await db.query(
    `INSERT INTO dossier_figures (dossier_id, hall_id, procedure_id, channel, received_day, refused, due_day, result_day, stop_day,
                                  supplements, moved_day, paused_since, work_days)
     SELECT u.id, $1, u.procedure_id, u.channel, u.received_day, u.refused, u.due_day, u.result_day, u.stop_day, u.supplements,
            u.moved_day, u.paused_since, u.work_days
       FROM unnest($2::bigint[], $3::int[], $4::text[], $5::date[], $6::boolean[], $7::date[], $8::date[], $9::date[], $10::int[],
                   $11::date[], $12::date[], $13::int[])
            AS u(id, procedure_id, channel, received_day, refused, due_day, result_day, stop_day, supplements, moved_day, paused_since, work_days)
     ON CONFLICT (dossier_id) DO UPDATE SET procedure_id = EXCLUDED.procedure_id, channel = EXCLUDED.channel,
       received_day = EXCLUDED.received_day, refused = EXCLUDED.refused, due_day = EXCLUDED.due_day, result_day = EXCLUDED.result_day,
       stop_day = EXCLUDED.stop_day, supplements = EXCLUDED.supplements, moved_day = EXCLUDED.moved_day,
       paused_since = EXCLUDED.paused_since, work_days = EXCLUDED.work_days`,
    [
      hallId,
      col('id'),
      col('procedure_id'),
      col('channel'),
      col('received_day'),
      col('refused'),
      col('dueDay'),
      col('resultDay'),
      col('stopDay'),
      col('supplements'),
      col('movedDay'),
      col('pausedSince'),
      col('workDays'),
    ],
  );
}

// ---- the report ----

/** Per procedure: the cells of the report, plus what the indicators need. */
export interface TallyRow {
  procedure_id: number;
  online: number;
  in_person: number;
  carried: number;
  early: number;
  on_time: number;
  late: number;
  resolved_ok: number;
  work_days: number;
  stopped: number;
  within_time: number;
  overdue: number;
  within_ok: number;
  /** In progress at the end, but their history moved after it: computed one by one. */
  unsure: number[] | null;
}

export async function tallies(db: Queryable, hallId: number, from: string, to: string): Promise<TallyRow[]> {
  const { rows } = await db.query<TallyRow>(
    `WITH f AS (
       SELECT f.*, (f.result_day IS NULL OR f.result_day > $3) AND (f.stop_day IS NULL OR f.stop_day > $3) AS open,
              (f.moved_day IS NULL OR f.moved_day <= $3) AND (f.paused_since IS NULL OR f.paused_since > $3) AS sure
         FROM dossier_figures f
        WHERE f.hall_id = $1 AND f.received_day <= $3 AND NOT f.refused
          AND (f.result_day IS NULL OR f.result_day >= $2) AND (f.stop_day IS NULL OR f.stop_day >= $2))
     SELECT procedure_id,
            count(*) FILTER (WHERE received_day >= $2 AND channel = 'online')::int AS online,
            count(*) FILTER (WHERE received_day >= $2 AND channel <> 'online')::int AS in_person,
            count(*) FILTER (WHERE received_day < $2)::int AS carried,
            count(*) FILTER (WHERE result_day <= $3 AND result_day < due_day)::int AS early,
            count(*) FILTER (WHERE result_day <= $3 AND result_day = due_day)::int AS on_time,
            count(*) FILTER (WHERE result_day <= $3 AND result_day > due_day)::int AS late,
            count(*) FILTER (WHERE result_day <= $3 AND result_day <= due_day AND supplements <= 1)::int AS resolved_ok,
            coalesce(sum(work_days) FILTER (WHERE result_day <= $3), 0)::int AS work_days,
            count(*) FILTER (WHERE stop_day <= $3)::int AS stopped,
            count(*) FILTER (WHERE open AND sure AND due_day >= $3)::int AS within_time,
            count(*) FILTER (WHERE open AND sure AND due_day < $3)::int AS overdue,
            count(*) FILTER (WHERE open AND sure AND due_day >= $3 AND supplements <= 1)::int AS within_ok,
            array_agg(dossier_id) FILTER (WHERE open AND NOT sure) AS unsure
       FROM f GROUP BY procedure_id`,
    [hallId, from, to],
  );
  return rows;
}

export interface ProcedureBrief {
  id: number;
  name: string;
  field: string;
  processing_days: number;
}

/** Every procedure of the hall with the field it is reported under: its own, else its service's, else its department's. */
export async function procedureFields(db: Queryable, hallId: number): Promise<ProcedureBrief[]> {
  const { rows } = await db.query<ProcedureBrief>(
    `SELECT p.id, p.name, coalesce(nullif(p.field, ''), s.name, dep.name, 'Khác') AS field, p.processing_days
       FROM procedures p LEFT JOIN services s ON s.id = p.service_id LEFT JOIN departments dep ON dep.id = p.department_id
      WHERE p.hall_id = $1`,
    [hallId],
  );
  return rows;
}

/** Ratings of the period, and those "không hài lòng" (level 1). */
export async function ratingCounts(db: Queryable, hallId: number, from: string, to: string): Promise<{ total: number; unsatisfied: number }> {
  const { rows } = await db.query<{ total: number; unsatisfied: number }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE level = 1)::int AS unsatisfied
       FROM ratings WHERE hall_id = $1 AND day BETWEEN $2 AND $3`,
    [hallId, from, to],
  );
  return rows[0]!;
}

// ---- catalogue ----

export interface CatalogueRow {
  id: number;
  code: string | null;
  name: string;
  name_en: string | null;
  field: string;
  processing_days: number;
  fee: number;
  papers: Paper[];
  service_id: number | null;
  service_name: string | null;
  submit_at: string | null;
  counters: number[];
}

/** Active procedures whose folded name or code holds every word (`words` already folded and LIKE-escaped). */
export async function search(db: Queryable, hallId: number, words: readonly string[], field: string | null, limit: number): Promise<CatalogueRow[]> {
  const { rows } = await db.query<CatalogueRow>(
    `SELECT p.id, p.code, p.name, p.name_en, coalesce(nullif(p.field, ''), s.name, dep.name, 'Khác') AS field, p.processing_days,
            p.fee::int AS fee, p.papers, p.service_id, s.name AS service_name, p.submit_at,
            coalesce((SELECT array_agg(c.number ORDER BY c.number) FROM counter_services cs JOIN counters c ON c.id = cs.counter_id
                       WHERE cs.service_id = p.service_id), '{}') AS counters
       FROM procedures p LEFT JOIN services s ON s.id = p.service_id LEFT JOIN departments dep ON dep.id = p.department_id
      WHERE p.hall_id = $1 AND p.active
        AND p.search_key LIKE ALL (SELECT '%' || w || '%' FROM unnest($2::text[]) AS w)
        AND ($3::text IS NULL OR coalesce(nullif(p.field, ''), s.name, dep.name, 'Khác') = $3)
      ORDER BY (p.search_key LIKE coalesce($2[1], '') || '%') DESC, p.name
      LIMIT $4`,
    [hallId, words, field, limit],
  );
  return rows;
}

export async function fields(db: Queryable, hallId: number): Promise<string[]> {
  const { rows } = await db.query<{ field: string }>(
    `SELECT DISTINCT coalesce(nullif(p.field, ''), s.name, dep.name, 'Khác') AS field
       FROM procedures p LEFT JOIN services s ON s.id = p.service_id LEFT JOIN departments dep ON dep.id = p.department_id
      WHERE p.hall_id = $1 AND p.active`,
    [hallId],
  );
  return rows.map((r) => r.field).sort((a, b) => a.localeCompare(b, 'vi'));
}

export async function servicesByName(db: Queryable, hallId: number): Promise<{ id: number; name: string; department_id: number | null }[]> {
  const { rows } = await db.query<{ id: number; name: string; department_id: number | null }>(
    'SELECT id, name, department_id FROM services WHERE hall_id = $1',
    [hallId],
  );
  return rows;
}

export interface ImportRow {
  code: string | null;
  name: string;
  field: string;
  processingDays: number;
  fee: number;
  papers: Paper[];
  submitAt: string | null;
  serviceId: number | null;
  departmentId: number | null;
}

/** Adds or updates (by code, else by name) the procedures; returns how many were created. */
export async function importProcedures(db: Queryable, hallId: number, rows: readonly ImportRow[]): Promise<{ created: number; updated: number }> {
  let created = 0;
  for (const r of rows) {
    const { rows: found } = await db.query<{ id: number }>(
      `SELECT id FROM procedures WHERE hall_id = $1 AND (($2::text IS NOT NULL AND code = $2) OR lower(name) = lower($3))
        ORDER BY (code = $2) DESC NULLS LAST LIMIT 1 FOR UPDATE`,
      [hallId, r.code, r.name],
    );
    const params = [hallId, r.code, r.name, r.field, r.processingDays, r.fee, JSON.stringify(r.papers), r.submitAt, r.serviceId, r.departmentId];
    if (found[0]) {
      await db.query(
        `UPDATE procedures SET code = coalesce($2, code), name = $3, field = $4, processing_days = $5, fee = $6, papers = $7::jsonb,
                submit_at = $8, service_id = coalesce($9, service_id), department_id = coalesce($10, department_id)
          WHERE hall_id = $1 AND id = $11`,
        [...params, found[0].id],
      );
    } else {
      created++;
      await db.query(
        `INSERT INTO procedures (hall_id, code, name, field, processing_days, fee, papers, submit_at, service_id, department_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)`,
        params,
      );
    }
  }
  return { created, updated: rows.length - created };
}
