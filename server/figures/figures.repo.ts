/** SQL of the official figures: the per-dossier figures table, the report aggregates, ratings, the catalogue. */
import type { Queryable } from '../db/pool.js';
import type { Paper } from '../../protocol/dossiers.js';
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

/** Whether dossiers keep the due date fixed at receipt apart (`original_due_at`, added with the dossier rules). */
export async function hasOriginalDue(db: Queryable): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'dossiers' AND column_name = 'original_due_at'`,
  );
  return rows.length > 0;
}

/**
 * The dossiers' receipt, channel and due day as fixed at receipt: `original_due_at` where dossiers keep it (their
 * `due_day` then moves with supplements and extensions), else `due_day`, which stays as fixed at receipt.
 */
export async function bases(db: Queryable, ids: readonly number[], originalDue: boolean): Promise<(BasisRow & { fixed_due: boolean })[]> {
  const due = originalDue ? `coalesce((d.original_due_at AT TIME ZONE h.timezone)::date, d.due_day)` : 'd.due_day';
  const { rows } = await db.query<BasisRow & { fixed_due: boolean }>(
    `SELECT d.id, d.procedure_id, d.channel, to_char(d.day, 'YYYY-MM-DD') AS received_day, to_char(${due}, 'YYYY-MM-DD') AS due_day,
            d.processing_days, ${originalDue ? 'd.original_due_at IS NOT NULL' : 'false'} AS fixed_due
       FROM dossiers d JOIN halls h ON h.id = d.hall_id WHERE d.id = ANY($1::bigint[])`,
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

/** The figures rows as they are now (before a refresh replaces them), to take their part out of the daily sums. */
export async function currentFigures(db: Queryable, ids: readonly number[]): Promise<(Figure & { id: number; procedure_id: number; channel: string; received_day: string })[]> {
  const { rows } = await db.query<Figure & { id: number; procedure_id: number; channel: string; received_day: string }>(
    `SELECT dossier_id AS id, procedure_id, channel, to_char(received_day, 'YYYY-MM-DD') AS received_day, refused,
            to_char(due_day, 'YYYY-MM-DD') AS "dueDay", to_char(result_day, 'YYYY-MM-DD') AS "resultDay", to_char(stop_day, 'YYYY-MM-DD') AS "stopDay",
            supplements, to_char(moved_day, 'YYYY-MM-DD') AS "movedDay", to_char(paused_since, 'YYYY-MM-DD') AS "pausedSince", work_days AS "workDays"
       FROM dossier_figures WHERE dossier_id = ANY($1::bigint[])`,
    [ids],
  );
  return rows;
}

/** One day's change of a procedure's daily sums. */
export interface DailyDelta {
  day: string;
  procedureId: number;
  online: number;
  inPerson: number;
  early: number;
  onTime: number;
  late: number;
  resolvedOk: number;
  workDays: number;
  stopped: number;
}

export async function addDaily(db: Queryable, hallId: number, deltas: readonly DailyDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const col = <K extends keyof DailyDelta>(k: K) => deltas.map((d) => d[k]);
  await db.query(
    `INSERT INTO dossier_figures_daily AS f (hall_id, day, procedure_id, online, in_person, early, on_time, late, resolved_ok, work_days, stopped)
     SELECT $1, u.* FROM unnest($2::date[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::int[], $9::int[], $10::int[], $11::int[]) AS u
     ON CONFLICT (hall_id, day, procedure_id) DO UPDATE SET
       online = f.online + EXCLUDED.online, in_person = f.in_person + EXCLUDED.in_person, early = f.early + EXCLUDED.early,
       on_time = f.on_time + EXCLUDED.on_time, late = f.late + EXCLUDED.late, resolved_ok = f.resolved_ok + EXCLUDED.resolved_ok,
       work_days = f.work_days + EXCLUDED.work_days, stopped = f.stopped + EXCLUDED.stopped`,
    [hallId, col('day'), col('procedureId'), col('online'), col('inPerson'), col('early'), col('onTime'), col('late'), col('resolvedOk'), col('workDays'), col('stopped')],
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

/** What happened from `from` to `to`, per procedure, from the daily sums. */
export async function dailySums(db: Queryable, hallId: number, from: string, to: string) {
  const { rows } = await db.query<Pick<TallyRow, 'procedure_id' | 'online' | 'in_person' | 'early' | 'on_time' | 'late' | 'resolved_ok' | 'work_days' | 'stopped'>>(
    `SELECT procedure_id, sum(online)::int AS online, sum(in_person)::int AS in_person, sum(early)::int AS early, sum(on_time)::int AS on_time,
            sum(late)::int AS late, sum(resolved_ok)::int AS resolved_ok, sum(work_days)::int AS work_days, sum(stopped)::int AS stopped
       FROM dossier_figures_daily WHERE hall_id = $1 AND day BETWEEN $2 AND $3 GROUP BY procedure_id`,
    [hallId, from, to],
  );
  return rows;
}

/** How many dossiers were in progress at the end of `day`, per procedure (the carried-over column). */
export async function openCountAt(db: Queryable, hallId: number, day: string): Promise<{ procedure_id: number; open: number }[]> {
  const { rows } = await db.query<{ procedure_id: number; open: number }>({
    name: 'figures-open-count-at',
    text: `SELECT procedure_id, count(*)::int AS open FROM dossier_figures
            WHERE open_days @> $2::date AND NOT refused AND hall_id = $1 GROUP BY procedure_id`,
    values: [hallId, day],
  });
  return rows;
}

/**
 * The dossiers in progress at the end of `day`, per procedure: how many, within time or overdue by their due day
 * (those whose due day moved after `day`, or waiting for a supplement then, are listed in `unsure` instead).
 */
export async function openAt(db: Queryable, hallId: number, day: string) {
  const { rows } = await db.query<Pick<TallyRow, 'procedure_id' | 'within_time' | 'overdue' | 'within_ok' | 'unsure'> & { open: number }>({
    name: 'figures-open-at',
    text: `SELECT procedure_id, count(*)::int AS open,
            count(*) FILTER (WHERE sure AND due_day >= $2)::int AS within_time,
            count(*) FILTER (WHERE sure AND due_day < $2)::int AS overdue,
            count(*) FILTER (WHERE sure AND due_day >= $2 AND supplements <= 1)::int AS within_ok,
            array_agg(dossier_id) FILTER (WHERE NOT sure) AS unsure
       FROM (SELECT procedure_id, dossier_id, due_day, supplements,
                    (moved_day IS NULL OR moved_day <= $2) AND (paused_since IS NULL OR paused_since > $2) AS sure
               FROM dossier_figures WHERE open_days @> $2::date AND NOT refused AND hall_id = $1) f
      GROUP BY procedure_id`,
    values: [hallId, day],
  });
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

/**
 * In one round trip: the hall's active procedures whose folded name or code holds every word (`words` already
 * folded and LIKE-escaped), names starting with the first word first, and every field of the hall's catalogue.
 */
export async function search(db: Queryable, hallId: number, words: readonly string[], field: string | null, limit: number): Promise<{ items: CatalogueRow[]; fields: string[] }> {
  const { rows } = await db.query<{ items: CatalogueRow[] | null; fields: string[] | null }>({
    name: 'figures-catalogue-search',
    text: `WITH p AS (
       SELECT p.id, p.code, p.name, p.name_en, coalesce(nullif(p.field, ''), s.name, dep.name, 'Khác') AS field, p.processing_days,
              p.fee::int AS fee, p.papers, p.service_id, s.name AS service_name, p.submit_at, p.search_key
         FROM procedures p LEFT JOIN services s ON s.id = p.service_id LEFT JOIN departments dep ON dep.id = p.department_id
        WHERE p.hall_id = $1 AND p.active),
     hit AS (
       SELECT * FROM p
        WHERE p.search_key LIKE ALL (SELECT '%' || w || '%' FROM unnest($2::text[]) AS w) AND ($3::text IS NULL OR p.field = $3)
        ORDER BY (p.search_key LIKE coalesce($2[1], '') || '%') DESC, p.name LIMIT $4)
     SELECT (SELECT json_agg(json_build_object('id', h.id, 'code', h.code, 'name', h.name, 'name_en', h.name_en, 'field', h.field,
                     'processing_days', h.processing_days, 'fee', h.fee, 'papers', h.papers, 'service_id', h.service_id,
                     'service_name', h.service_name, 'submit_at', h.submit_at,
                     'counters', coalesce((SELECT array_agg(c.number ORDER BY c.number) FROM counter_services cs JOIN counters c ON c.id = cs.counter_id
                                            WHERE cs.service_id = h.service_id), '{}')) ORDER BY (h.search_key LIKE coalesce($2[1], '') || '%') DESC, h.name)
               FROM hit h) AS items,
            (SELECT array_agg(DISTINCT field) FROM p) AS fields`,
    values: [hallId, words, field, limit],
  });
  return { items: rows[0]?.items ?? [], fields: rows[0]?.fields ?? [] };
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
