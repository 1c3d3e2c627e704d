/**
 * The official figures and the citizens' catalogue: the periodic report (Biểu 06/VPCP/KSTT), the indicators of
 * Quyết định 766/QĐ-TTg, the catalogue search and the CSV import of a province's catalogue.
 *
 * Reports read `dossier_figures` (one row per dossier, what its timeline means: see standing.ts) instead of the
 * events: a trigger marks a dossier stale in the transaction that changes it, and every report first computes the
 * stale rows again (a few after a working day, all of them once after an upgrade). Dossiers still in progress at
 * the period's end whose due day moved after it are judged one by one from their events up to the end.
 */
import type { Db, Queryable } from '../db/pool.js';
import { transaction } from '../db/pool.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import type {
  CatalogueImportResult,
  CatalogueItem,
  CatalogueQuery,
  CatalogueResult,
  DossierReport,
  FiguresQuery,
  Indicator,
  Indicators,
  IndicatorsQuery,
  ReportCells,
} from '../../protocol/figures.js';
import type { Calendar } from '../dossiers/workdays.js';
import * as repo from './figures.repo.js';
import { parsePeriod, type ReportPeriod } from './period.js';
import { figureOf, standingAt, type Figure, type StatusStep } from './standing.js';
import { addDays } from '../dossiers/workdays.js';
import { searchWords } from './fold.js';
import { parseCatalogue } from './catalogue-csv.js';

const BATCH = 5000;

const emptyCells = (): ReportCells => ({
  received: { total: 0, online: 0, inPerson: 0, carriedOver: 0 },
  resolved: { total: 0, early: 0, onTime: 0, late: 0 },
  inProgress: { total: 0, withinTime: 0, overdue: 0 },
  stopped: 0,
});

interface Extra {
  resolvedOk: number;
  withinOk: number;
  workDays: number;
}

function addTally(c: ReportCells, x: Extra, t: repo.TallyRow): void {
  c.received.online += t.online;
  c.received.inPerson += t.in_person;
  c.received.carriedOver += t.carried;
  c.received.total += t.online + t.in_person + t.carried;
  c.resolved.early += t.early;
  c.resolved.onTime += t.on_time;
  c.resolved.late += t.late;
  c.resolved.total += t.early + t.on_time + t.late;
  c.inProgress.withinTime += t.within_time;
  c.inProgress.overdue += t.overdue;
  c.inProgress.total += t.within_time + t.overdue;
  c.stopped += t.stopped;
  x.resolvedOk += t.resolved_ok;
  x.withinOk += t.within_ok;
  x.workDays += t.work_days;
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

export class FiguresService {
  private originalDue: Promise<boolean> | null = null;

  constructor(private readonly db: Db) {}

  /** The hall asked for: a hall user sees only their own (another code: 403); the public names one or gets the first. */
  async hallFor(code: string | undefined, principalHallId: number | null): Promise<repo.HallRow> {
    if (principalHallId !== null) {
      const own = await repo.hallById(this.db, principalHallId);
      if (!own) throw notFound('Không có trung tâm này / no such hall');
      if (code !== undefined && code !== own.code) {
        if (!(await repo.hallByCode(this.db, code))) throw notFound(`Không có trung tâm mã "${code}" / no hall with that code`);
        throw forbidden(`Chỉ xem được số liệu của trung tâm mình (${own.code}) / only your own hall`);
      }
      return own;
    }
    const hall = code !== undefined ? await repo.hallByCode(this.db, code) : await repo.firstHall(this.db);
    if (!hall) throw notFound(code !== undefined ? `Không có trung tâm mã "${code}" / no hall with that code` : 'Chưa có trung tâm nào / no hall yet');
    return hall;
  }

  private async calendar(db: Queryable, hallId: number): Promise<Calendar> {
    const days = await repo.calendarDays(db, hallId);
    return { holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.day)), workdays: new Set(days.filter((d) => d.kind === 'workday').map((d) => d.day)) };
  }

  /** Computes again the figures of the hall's stale dossiers; returns how many. */
  async refresh(hall: repo.HallRow): Promise<number> {
    let cal: Calendar | null = null;
    let done = 0;
    for (;;) {
      const n = await transaction(this.db, async (tx) => {
        const ids = await repo.claimStale(tx, hall.id, BATCH);
        if (ids.length === 0) return 0;
        cal ??= await this.calendar(tx, hall.id);
        this.originalDue ??= repo.hasOriginalDue(this.db);
        const bases = await repo.bases(tx, ids, await this.originalDue);
        const steps = await repo.steps(tx, ids, hall.timezone);
        const before = await repo.currentFigures(tx, ids);
        const byDossier = groupSteps(steps);
        const rows = bases.map((b) => ({
          ...b,
          ...figureOf({ receivedDay: b.received_day, dueDay: b.due_day, processingDays: b.processing_days, fixedDue: b.fixed_due }, byDossier.get(b.id) ?? [], cal!),
        }));
        const deltas = new Map<string, repo.DailyDelta>();
        for (const old of before) addParts(deltas, old.procedure_id, old.channel, old.received_day, old, -1);
        for (const r of rows) addParts(deltas, r.procedure_id, r.channel, r.received_day, r, 1);
        await repo.upsertFigures(tx, hall.id, rows);
        await repo.addDaily(tx, hall.id, [...deltas.values()].filter(changes));
        return ids.length;
      });
      done += n;
      if (n < BATCH) return done;
    }
  }

  private async tally(hall: repo.HallRow, period: ReportPeriod, field?: string) {
    const procedures = await repo.procedureFields(this.db, hall.id);
    if (field !== undefined && !procedures.some((p) => p.field === field)) throw badRequest(`field: không có lĩnh vực "${field}" / no such field`, 'unknown_field');
    await this.refresh(hall);
    const [sums, atEnd, atStart] = await Promise.all([
      repo.dailySums(this.db, hall.id, period.from, period.to),
      repo.openAt(this.db, hall.id, period.to),
      repo.openCountAt(this.db, hall.id, addDays(period.from, -1)),
    ]);
    const byProcedure = new Map<number, repo.TallyRow>();
    const row = (id: number) => {
      let r = byProcedure.get(id);
      if (!r) {
        r = { procedure_id: id, online: 0, in_person: 0, carried: 0, early: 0, on_time: 0, late: 0, resolved_ok: 0, work_days: 0, stopped: 0, within_time: 0, overdue: 0, within_ok: 0, unsure: null };
        byProcedure.set(id, r);
      }
      return r;
    };
    for (const s of sums) Object.assign(row(s.procedure_id), s);
    for (const o of atStart) row(o.procedure_id).carried = o.open;
    for (const o of atEnd) Object.assign(row(o.procedure_id), { within_time: o.within_time, overdue: o.overdue, within_ok: o.within_ok, unsure: o.unsure });
    const tallies = [...byProcedure.values()];
    const unsure = tallies.flatMap((t) => t.unsure ?? []);
    if (unsure.length > 0) await this.judgeOneByOne(hall, period, unsure, tallies);
    return { tallies, procedures: new Map(procedures.map((p) => [p.id, p])) };
  }

  /** Dossiers in progress at the end whose due day moved after it: their standing from the events up to the end. */
  private async judgeOneByOne(hall: repo.HallRow, period: ReportPeriod, ids: number[], tallies: repo.TallyRow[]): Promise<void> {
    const cal = await this.calendar(this.db, hall.id);
    this.originalDue ??= repo.hasOriginalDue(this.db);
    const [bases, steps] = await Promise.all([repo.bases(this.db, ids, await this.originalDue), repo.steps(this.db, ids, hall.timezone)]);
    const byDossier = groupSteps(steps);
    const byProcedure = new Map(tallies.map((t) => [t.procedure_id, t]));
    for (const b of bases) {
      const basis = { receivedDay: b.received_day, dueDay: b.due_day, processingDays: b.processing_days, fixedDue: b.fixed_due };
      const f = figureOf(basis, byDossier.get(b.id) ?? [], cal, period.to);
      const t = byProcedure.get(b.procedure_id)!;
      const standing = standingAt(f, basis, period.to);
      if (standing === 'within_time') {
        t.within_time++;
        if (f.supplements <= 1) t.within_ok++;
      } else if (standing === 'overdue') t.overdue++;
    }
  }

  async report(principalHallId: number | null, q: FiguresQuery): Promise<DossierReport> {
    const hall = await this.hallFor(q.hall, principalHallId);
    const period = parsePeriod(q, hall.today);
    const { tallies, procedures } = await this.tally(hall, period, q.field);
    const rows = new Map<string, ReportCells>();
    const total = emptyCells();
    const ignore: Extra = { resolvedOk: 0, withinOk: 0, workDays: 0 };
    for (const t of tallies) {
      const field = procedures.get(t.procedure_id)?.field ?? 'Khác';
      if (q.field !== undefined && field !== q.field) continue;
      let cells = rows.get(field);
      if (!cells) rows.set(field, (cells = emptyCells()));
      addTally(cells, ignore, t);
      addTally(total, ignore, t);
    }
    return {
      period: period.label,
      from: period.from,
      to: period.to,
      hall: { code: hall.code, name: hall.name },
      rows: [...rows.entries()].sort(([a], [b]) => a.localeCompare(b, 'vi')).map(([field, cells]) => ({ field, ...cells })),
      total,
    };
  }

  async indicators(principalHallId: number | null, q: IndicatorsQuery): Promise<Indicators> {
    const hall = await this.hallFor(q.hall, principalHallId);
    const period = parsePeriod(q, hall.today);
    const { tallies, procedures } = await this.tally(hall, period);
    const c = emptyCells();
    const x: Extra = { resolvedOk: 0, withinOk: 0, workDays: 0 };
    for (const t of tallies) addTally(c, x, t);
    const ratings = await repo.ratingCounts(this.db, hall.id, period.from, period.to);
    const pct = (n: number, d: number) => (d === 0 ? null : round((100 * n) / d));

    const judged = c.resolved.total + c.inProgress.total;
    const ok = x.resolvedOk + x.withinOk;
    const newOnes = c.received.online + c.received.inPerson;
    const perProcedure = tallies
      .map((t) => ({ t, p: procedures.get(t.procedure_id), n: t.early + t.on_time + t.late }))
      .filter((e) => e.n > 0)
      .map((e) => ({ name: e.p?.name ?? String(e.t.procedure_id), value: round(e.t.work_days / e.n), unit: `ngày làm việc (hạn ${e.p?.processing_days ?? '?'})`, count: e.n }))
      .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    const lateShare = c.resolved.total === 0 ? 0 : (100 * c.resolved.late) / c.resolved.total;
    const unsatisfiedShare = ratings.total === 0 ? 0 : (100 * ratings.unsatisfied) / ratings.total;
    const items: Indicator[] = [
      {
        code: '2.1',
        name: 'Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn',
        value: pct(ok, judged),
        unit: '%',
        numerator: ok,
        denominator: judged,
        method:
          'Hồ sơ đã giải quyết trong kỳ trước hạn hoặc đúng hạn, cộng hồ sơ đang giải quyết còn trong hạn ở cuối kỳ, chia cho tổng số hồ sơ đã và đang giải quyết. ' +
          'Thời gian chờ công dân bổ sung không tính; hồ sơ yêu cầu bổ sung quá một lần tính là trễ hạn.',
      },
      {
        code: '2.2',
        name: 'Thời gian giải quyết trung bình',
        value: c.resolved.total === 0 ? null : round(x.workDays / c.resolved.total),
        unit: 'ngày làm việc',
        numerator: x.workDays,
        denominator: c.resolved.total,
        method: 'Số ngày làm việc từ khi tiếp nhận đến khi có kết quả (trừ thời gian chờ bổ sung) của các hồ sơ giải quyết trong kỳ, trung bình; từng thủ tục so với thời hạn của nó.',
        parts: perProcedure,
      },
      {
        code: '3.3',
        name: 'Tỷ lệ hồ sơ nộp trực tuyến',
        value: pct(c.received.online, newOnes),
        unit: '%',
        numerator: c.received.online,
        denominator: newOnes,
        method: 'Hồ sơ mới tiếp nhận trong kỳ theo kênh nộp: trực tuyến, so với tổng số (trực tiếp và bưu chính là phần còn lại).',
        parts: [
          { name: 'Trực tuyến', value: pct(c.received.online, newOnes) ?? 0, unit: '%', count: c.received.online },
          { name: 'Trực tiếp, bưu chính', value: pct(c.received.inPerson, newOnes) ?? 0, unit: '%', count: c.received.inPerson },
        ],
      },
      {
        code: '5.4',
        name: 'Mức độ hài lòng',
        value: c.resolved.total === 0 && ratings.total === 0 ? null : round(Math.max(0, 100 - lateShare - unsatisfiedShare)),
        unit: '%',
        method:
          `100% − tỷ lệ hồ sơ giải quyết trễ hạn (${round(lateShare)}%: ${c.resolved.late}/${c.resolved.total}) ` +
          `− tỷ lệ đánh giá "Không hài lòng" (${round(unsatisfiedShare)}%: ${ratings.unsatisfied}/${ratings.total}); phản ánh, kiến nghị chưa được ghi nhận trong hệ thống.`,
      },
    ];
    return { period: period.label, from: period.from, to: period.to, hall: { code: hall.code, name: hall.name }, items };
  }

  // ---- catalogue ----

  async search(principalHallId: number | null, q: CatalogueQuery): Promise<CatalogueResult> {
    const hall = await this.hallFor(q.hall, principalHallId);
    const found = await repo.search(this.db, hall.id, searchWords(q.q ?? ''), q.field ?? null, q.limit ?? 50);
    const rows = found.items;
    const fields = found.fields.sort((a, b) => a.localeCompare(b, 'vi'));
    if (q.field !== undefined && !fields.includes(q.field)) throw badRequest(`field: không có lĩnh vực "${q.field}" / no such field`, 'unknown_field');
    const items: CatalogueItem[] = rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      nameEn: r.name_en,
      field: r.field,
      processingDays: r.processing_days,
      fee: r.fee,
      papers: r.papers,
      serviceId: r.service_id,
      serviceName: r.service_name,
      submitAt: r.submit_at,
      counters: r.counters,
    }));
    return { hall: { code: hall.code, name: hall.name }, items, fields };
  }

  /** Imports a catalogue CSV: every row or none; a bad row or column is a 400 naming it. */
  async importCatalogue(hallId: number, csv: string): Promise<CatalogueImportResult> {
    return transaction(this.db, async (tx) => {
      const services = await repo.servicesByName(tx, hallId);
      const rows = parseCatalogue(csv, services);
      return repo.importProcedures(tx, hallId, rows);
    });
  }
}

/** What one figures row adds to the daily sums (sign -1: taken out): its receipt, its result, its stop. */
function addParts(into: Map<string, repo.DailyDelta>, procedureId: number, channel: string, receivedDay: string, f: Figure, sign: 1 | -1): void {
  if (f.refused) return;
  const at = (day: string) => {
    const key = `${day}|${procedureId}`;
    let d = into.get(key);
    if (!d) into.set(key, (d = { day, procedureId, online: 0, inPerson: 0, early: 0, onTime: 0, late: 0, resolvedOk: 0, workDays: 0, stopped: 0 }));
    return d;
  };
  const r = at(receivedDay);
  if (channel === 'online') r.online += sign;
  else r.inPerson += sign;
  if (f.resultDay !== null) {
    const d = at(f.resultDay);
    if (f.resultDay < f.dueDay) d.early += sign;
    else if (f.resultDay === f.dueDay) d.onTime += sign;
    else d.late += sign;
    if (f.resultDay <= f.dueDay && f.supplements <= 1) d.resolvedOk += sign;
    d.workDays += sign * (f.workDays ?? 0);
  } else if (f.stopDay !== null) at(f.stopDay).stopped += sign;
}

const changes = (d: repo.DailyDelta) => d.online !== 0 || d.inPerson !== 0 || d.early !== 0 || d.onTime !== 0 || d.late !== 0 || d.resolvedOk !== 0 || d.workDays !== 0 || d.stopped !== 0;

function groupSteps(rows: { dossier_id: number; status: string; day: string }[]): Map<number, StatusStep[]> {
  const m = new Map<number, StatusStep[]>();
  for (const r of rows) {
    let list = m.get(r.dossier_id);
    if (!list) m.set(r.dossier_id, (list = []));
    list.push({ status: r.status, day: r.day });
  }
  return m;
}
