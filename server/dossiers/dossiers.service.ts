/**
 * Dossiers: reception at a counter (or by an outside system), the status machine and its timeline, the public
 * lookup, the procedure catalogue and the working-day calendar. Every change is one transaction that also writes
 * its webhooks and applicant notices to the outbox; events go out only after the commit.
 */
import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { type Db, type Queryable, type Tx, transaction } from '../db/pool.js';
import type { Config } from '../config.js';
import type { EventBus } from '../events.js';
import { HubError, badRequest, conflict, forbidden, notFound } from '../errors.js';
import {
  DOSSIER_STATUS_LABELS,
  DOSSIER_TRANSITIONS,
  canTransition,
  isDossierCode,
  type CreateDossierBody,
  type CreateHolidayBody,
  type CreateProcedureBody,
  type DossierDetail,
  type DossierEventBody,
  type DossierList,
  type DossierListQuery,
  type DossierStats,
  type DossierStatus,
  type DossierSummary,
  type Holiday,
  type Procedure,
  type PublicDossier,
  type TimelineEntry,
  type UpdateProcedureBody,
  type WebhookPayload,
} from '../../protocol/index.js';
import * as repo from './dossiers.repo.js';
import * as outbox from './outbox.repo.js';
import { webhookTargets } from '../integrations/integrations.repo.js';
import { DEFAULT_CLOSING_TIME, addDays, addWorkingDays, calendarSpan, isValidDay, knownHolidayYears, vnHolidays, type Calendar } from './workdays.js';
import { cleanCode, cleanName, formatDossierCode, isAgencyId, maskName } from './format.js';
import { emailNotice, isNoticeStatus, smsNotice, EMAIL_SENT_NOTE, SMS_SENT_NOTE } from '../notifications/templates.js';

/** Who changes a dossier: a signed-in staff member, or an outside system by its key. */
export type DossierActor =
  | { kind: 'staff'; hallId: number; userId: number; name: string }
  | { kind: 'integration'; hallId: number; keyId: number; name: string };

/** An answer that may be the replay of an earlier request with the same eventId. */
export interface Answer<T> {
  status: number;
  body: T;
  replay: boolean;
}

export const MALFORMED_CODE_MESSAGE = 'Mã hồ sơ không đúng định dạng (ví dụ: 000.00.12.H40-221012-0001)';

const iso = (d: Date) => d.toISOString();
const label = (s: DossierStatus) => DOSSIER_STATUS_LABELS[s].vi;
const scopeOf = (a: DossierActor) => (a.kind === 'staff' ? `user:${a.userId}` : `key:${a.keyId}`);
/** JSON with sorted keys: the same request hashes the same whatever the order of its fields. */
const stable = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(stable).join(',')}]`
    : v && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);
const hashOf = (v: unknown) => createHash('sha256').update(stable(v)).digest('hex');
/** Escapes LIKE wildcards in a search typed by staff. */
const likeSafe = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function toTimeline(events: (repo.EventRow & { by?: string | null })[], withActor: boolean): TimelineEntry[] {
  return events.map((e) => ({
    status: e.status,
    at: iso(e.at),
    note: e.note,
    kind: e.kind,
    ...(withActor ? { by: e.by ?? null } : {}),
  }));
}

export function toDetail(d: repo.DossierRow, events: (repo.EventRow & { by?: string | null })[]): DossierDetail {
  return {
    code: d.code,
    procedure: d.procedure_name,
    procedureId: d.procedure_id,
    status: d.status,
    receivedAt: iso(d.received_at),
    dueAt: iso(d.due_at),
    overdue: d.overdue,
    applicantName: d.applicant_name,
    applicantPhone: d.applicant_phone,
    applicantEmail: d.applicant_email,
    ticketId: d.ticket_id,
    counterId: d.counter_id,
    counterNumber: d.counter_number,
    staffName: d.staff_name,
    nextStatuses: [...DOSSIER_TRANSITIONS[d.status]],
    timeline: toTimeline(events, true),
  };
}

export function toPublic(d: repo.DossierRow, events: repo.EventRow[]): PublicDossier {
  return {
    code: d.code,
    procedure: d.procedure_name,
    status: d.status,
    receivedAt: iso(d.received_at),
    dueAt: iso(d.due_at),
    overdue: d.overdue,
    applicantName: maskName(d.applicant_name),
    hallName: d.hall_name,
    pickupCounter: d.counter_number !== null ? { number: d.counter_number, name: d.counter_name ?? '' } : null,
    timeline: toTimeline(events, false),
  };
}

function toSummary(d: repo.DossierRow): DossierSummary {
  return {
    code: d.code,
    procedure: d.procedure_name,
    status: d.status,
    receivedAt: iso(d.received_at),
    dueAt: iso(d.due_at),
    overdue: d.overdue,
    applicantName: d.applicant_name,
    applicantPhone: d.applicant_phone,
    counterNumber: d.counter_number,
    nextStatuses: [...DOSSIER_TRANSITIONS[d.status]],
  };
}

function procedureView(p: repo.ProcedureRow): Procedure {
  return {
    id: p.id,
    name: p.name,
    nameEn: p.name_en,
    departmentId: p.department_id,
    departmentName: p.department_name,
    serviceId: p.service_id,
    processingDays: p.processing_days,
    fee: p.fee,
    active: p.active,
  };
}

/** The code of a request, checked: upper-cased, trimmed, in the receipt's format; 400 otherwise. */
export function parseCode(raw: string): string {
  const code = cleanCode(raw);
  if (!isDossierCode(code)) throw badRequest(MALFORMED_CODE_MESSAGE, 'malformed_code');
  return code;
}

export class DossiersService {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly config: Config,
    private readonly log: FastifyBaseLogger,
    /** Wakes the outbox worker after a commit that queued deliveries. */
    private readonly kick: () => void = () => undefined,
  ) {}

  // ---- procedures ----

  /** The hall's catalogue; `active` true or false keeps only the procedures switched on or off (null: all). */
  async procedures(hallId: number, active: boolean | null = null): Promise<Procedure[]> {
    return (await repo.listProcedures(this.db, hallId, active)).map(procedureView);
  }

  async createProcedure(hallId: number, body: CreateProcedureBody): Promise<Procedure> {
    const name = cleanName(body.name);
    const id = await transaction(this.db, async (tx) => {
      await this.checkProcedure(tx, hallId, { ...body, name }, null);
      return repo.insertProcedure(tx, {
        hallId,
        departmentId: body.departmentId ?? null,
        serviceId: body.serviceId ?? null,
        name,
        nameEn: body.nameEn?.trim() || null,
        processingDays: body.processingDays,
        fee: body.fee ?? 0,
        active: body.active ?? true,
      });
    });
    return this.procedureChanged(hallId, id);
  }

  /**
   * Changes a procedure (a new legal processing time or fee, switched off or on). Dossiers already received keep
   * their processing time and due date, fixed at receipt; a procedure switched off is refused for new dossiers.
   */
  async updateProcedure(hallId: number, id: number, body: UpdateProcedureBody): Promise<Procedure> {
    const name = body.name !== undefined ? cleanName(body.name) : undefined;
    await transaction(this.db, async (tx) => {
      if (!(await repo.lockProcedure(tx, hallId, id))) throw notFound(`Không có thủ tục số ${id}`);
      await this.checkProcedure(tx, hallId, { ...body, name }, id);
      await repo.updateProcedure(tx, hallId, id, {
        ...(name !== undefined ? { name } : {}),
        ...(body.nameEn !== undefined ? { nameEn: body.nameEn?.trim() || null } : {}),
        ...(body.departmentId !== undefined ? { departmentId: body.departmentId } : {}),
        ...(body.serviceId !== undefined ? { serviceId: body.serviceId } : {}),
        ...(body.processingDays !== undefined ? { processingDays: body.processingDays } : {}),
        ...(body.fee !== undefined ? { fee: body.fee } : {}),
        ...(body.active !== undefined ? { active: body.active } : {}),
      });
    });
    return this.procedureChanged(hallId, id);
  }

  /** 400 for a name too short once cleaned, 404 for a department or service the hall lacks, 409 for a name already used. */
  private async checkProcedure(tx: Tx, hallId: number, p: { name?: string; departmentId?: number | null; serviceId?: number | null }, exceptId: number | null) {
    if (p.name !== undefined && Array.from(p.name).length < 2) throw badRequest('Tên thủ tục phải có ít nhất 2 ký tự');
    if (typeof p.departmentId === 'number' && !(await repo.rowExists(tx, 'departments', hallId, p.departmentId))) {
      throw notFound(`Không có phòng ban số ${p.departmentId}`);
    }
    if (typeof p.serviceId === 'number' && !(await repo.rowExists(tx, 'services', hallId, p.serviceId))) {
      throw notFound(`Không có dịch vụ số ${p.serviceId}`);
    }
    if (p.name !== undefined && (await repo.procedureNameTaken(tx, hallId, p.name, exceptId))) {
      throw conflict(`Thủ tục "${p.name}" đã có trong danh mục`, 'procedure_exists');
    }
  }

  /** After a committed change: consoles re-read the catalogue (`setup:update`); the procedure as it is now. */
  private async procedureChanged(hallId: number, id: number): Promise<Procedure> {
    this.bus.emit('setup.changed', { hallId });
    return procedureView((await repo.findProcedure(this.db, hallId, id))!);
  }

  // ---- holidays ----

  async holidays(hallId: number, year: number | null): Promise<Holiday[]> {
    return repo.listHolidays(this.db, hallId, year);
  }

  async createHoliday(hallId: number, body: CreateHolidayBody): Promise<Holiday> {
    if (!isValidDay(body.day)) throw badRequest(`Ngày ${body.day} không có trong lịch`);
    const name = body.name.trim();
    if (!name) throw badRequest('Tên ngày nghỉ không được để trống');
    const row = await repo.insertHoliday(this.db, hallId, { day: body.day, name, kind: body.kind ?? 'holiday' });
    if (!row) throw conflict(`Ngày ${body.day} đã có trong lịch nghỉ`, 'holiday_exists');
    return row;
  }

  async deleteHoliday(hallId: number, id: number): Promise<void> {
    if (!(await repo.deleteHoliday(this.db, hallId, id))) throw notFound(`Không có ngày nghỉ số ${id}`);
  }

  /** Loads the built-in calendar of Vietnam's public holidays for the given years (days already set are kept). */
  async loadDefaultHolidays(hallId: number, years: number[], db: Queryable | null = null): Promise<{ added: number }> {
    const unknown = years.filter((y) => vnHolidays(y).length === 0);
    if (unknown.length) {
      throw badRequest(`Chưa có lịch nghỉ lễ dựng sẵn cho năm ${unknown.join(', ')} (có: ${knownHolidayYears().join(', ')}); hãy thêm từng ngày`);
    }
    const work = async (q: Queryable) => {
      let added = 0;
      for (const y of years) for (const h of vnHolidays(y)) if (await repo.insertHoliday(q, hallId, h)) added++;
      return { added };
    };
    return db ? work(db) : transaction(this.db, work);
  }

  /** The working-day calendar of a hall from `from` to `to`. */
  private async calendar(db: Queryable, hallId: number, from: string, to: string): Promise<Calendar> {
    const rows = await repo.holidaysBetween(db, hallId, from, to);
    return {
      holidays: new Set(rows.filter((r) => r.kind === 'holiday').map((r) => r.day)),
      workdays: new Set(rows.filter((r) => r.kind === 'workday').map((r) => r.day)),
    };
  }

  /** The due day of `days` working days from `from` in a hall's calendar (loading further if a long break needs it). */
  async dueDay(db: Queryable, hallId: number, from: string, days: number): Promise<string> {
    for (let span = calendarSpan(days); ; span *= 2) {
      const to = addDays(from, span);
      const due = addWorkingDays(from, days, await this.calendar(db, hallId, from, to));
      if (due <= to || span > 20 * 366) return due;
    }
  }

  // ---- dossiers ----

  /** Receives a dossier: staff at the counter they opened, or an outside system. 201 with the new dossier. */
  async receive(actor: DossierActor, body: CreateDossierBody): Promise<Answer<DossierDetail>> {
    const applicantName = cleanName(body.applicantName);
    const applicantPhone = body.applicantPhone?.replace(/[\s.-]/g, '') || null;
    const applicantEmail = body.applicantEmail?.trim().toLowerCase() || null;
    const procedureRef = typeof body.procedure === 'string' ? cleanName(body.procedure) : body.procedure;
    const { eventId, ...request } = body;

    const outcome = await transaction(this.db, async (tx) => {
      if (eventId) {
        const earlier = await this.claim(tx, actor, eventId, { op: 'receive', request });
        if (earlier) return { replay: earlier } as const;
      }
      const hall = await repo.hallInfo(tx, actor.hallId);
      if (!hall) throw notFound(`Không có trung tâm số ${actor.hallId}`);
      const counter = actor.kind === 'staff' ? await repo.openCounterOf(tx, actor.hallId, actor.userId) : null;
      if (actor.kind === 'staff' && !counter) throw forbidden('Bạn chưa mở quầy: hãy mở quầy trước khi tiếp nhận hồ sơ');

      const procedure = await repo.findProcedure(tx, actor.hallId, procedureRef);
      if (!procedure) throw notFound(`Không có thủ tục "${procedureRef}" trong danh mục`);
      if (!procedure.active) throw conflict(`Thủ tục "${procedure.name}" đã ngừng tiếp nhận hồ sơ mới`, 'procedure_inactive');

      let ticketId: number | null = null;
      if (body.ticketId !== undefined) {
        const ticket = await repo.ticketBrief(tx, actor.hallId, body.ticketId);
        if (!ticket) throw notFound(`Không có phiếu số ${body.ticketId}`);
        if (counter && ticket.counter_id !== counter.id) {
          throw conflict(`Số ${ticket.number} không được phục vụ tại quầy ${counter.number}`, 'ticket_not_at_counter');
        }
        ticketId = ticket.id;
      }

      const dueDay = await this.dueDay(tx, actor.hallId, hall.day, procedure.processing_days);
      const agency = hall.agency_id && isAgencyId(hall.agency_id) ? hall.agency_id : hall.code.replace(/[^A-Za-z0-9.]/g, '') || `HALL${hall.id}`;
      // Last: the sequence row stays locked until commit, so receptions of one hall queue only for the insert.
      const seq = await repo.nextDossierSeq(tx, actor.hallId, hall.day);
      const code = formatDossierCode(agency, hall.day, seq);
      const id = await repo.insertDossier(tx, {
        hallId: actor.hallId,
        code,
        day: hall.day,
        seq,
        procedureId: procedure.id,
        processingDays: procedure.processing_days,
        applicantName,
        applicantPhone,
        applicantEmail,
        dueDay,
        closingTime: hall.closing_time && /^\d{2}:\d{2}$/.test(hall.closing_time) ? hall.closing_time : DEFAULT_CLOSING_TIME,
        counterId: counter?.id ?? null,
        staffId: actor.kind === 'staff' ? actor.userId : null,
        ticketId,
        integrationKeyId: actor.kind === 'integration' ? actor.keyId : null,
      });
      const event = await repo.insertEvent(tx, {
        dossierId: id,
        kind: 'status',
        status: 'received',
        fromStatus: null,
        note: counter ? `Tiếp nhận tại quầy số ${counter.number}` : `Tiếp nhận qua ${actor.name}`,
        staffId: actor.kind === 'staff' ? actor.userId : null,
        counterId: counter?.id ?? null,
        integrationKeyId: actor.kind === 'integration' ? actor.keyId : null,
        eventId: eventId ?? null,
      });
      const dossier = (await repo.findDossierById(tx, id))!;
      await this.queueWebhooks(tx, dossier, event, 'dossier.received');
      const detail = toDetail(dossier, await repo.timeline(tx, id));
      if (eventId) await repo.completeRequest(tx, scopeOf(actor), eventId, 201, detail);
      return { detail, dossier, counter };
    });

    if ('replay' in outcome) return outcome.replay as Answer<DossierDetail>;
    const { detail, dossier, counter } = outcome;
    this.kick();
    this.bus.emit('dossier.changed', { hallId: actor.hallId, code: detail.code, status: detail.status, counterId: detail.counterId, at: detail.receivedAt });
    if (actor.kind === 'staff' && counter) {
      this.bus.emit('dossier.received', {
        hallId: actor.hallId,
        counterId: counter.id,
        ticketId: dossier.ticket_id,
        receipt: {
          code: dossier.code,
          hallName: dossier.hall_name,
          procedure: dossier.procedure_name,
          applicantName: dossier.applicant_name,
          receivedAt: detail.receivedAt,
          dueAt: detail.dueAt,
          staffName: actor.name,
          lookupUrl: this.lookupUrl(dossier.code),
        },
      });
    }
    return { status: 201, body: detail, replay: false };
  }

  /** Moves a dossier along its status machine; 409 for a move the machine does not allow. */
  async addEvent(actor: DossierActor, rawCode: string, body: DossierEventBody): Promise<Answer<DossierDetail>> {
    const code = parseCode(rawCode);
    const note = body.note?.normalize('NFC').trim() || null;
    const { eventId, ...request } = body;

    const outcome = await transaction(this.db, async (tx) => {
      if (eventId) {
        const earlier = await this.claim(tx, actor, eventId, { op: 'event', code, request });
        if (earlier) return { replay: earlier } as const;
      }
      const dossier = await repo.findDossier(tx, code, actor.hallId, true);
      if (!dossier) throw notFound(`Không tìm thấy hồ sơ ${code}`);
      const from = dossier.status;
      const to = body.status;
      if (!canTransition(from, to)) {
        const allowed = DOSSIER_TRANSITIONS[from].map(label);
        throw conflict(
          `Không thể chuyển hồ sơ ${code} từ "${label(from)}" sang "${label(to)}"` +
            (allowed.length ? ` (được phép: ${allowed.join(', ')})` : ' (hồ sơ đã kết thúc)'),
          'invalid_transition',
        );
      }
      const counter = actor.kind === 'staff' ? await repo.openCounterOf(tx, actor.hallId, actor.userId) : null;
      await repo.setDossierStatus(tx, dossier.id, to);
      const event = await repo.insertEvent(tx, {
        dossierId: dossier.id,
        kind: 'status',
        status: to,
        fromStatus: from,
        note,
        staffId: actor.kind === 'staff' ? actor.userId : null,
        counterId: counter?.id ?? null,
        integrationKeyId: actor.kind === 'integration' ? actor.keyId : null,
        eventId: eventId ?? null,
      });
      const updated = (await repo.findDossierById(tx, dossier.id))!;
      await this.queueWebhooks(tx, updated, event, 'dossier.status_changed');
      if (isNoticeStatus(to)) await this.queueNotices(tx, updated, event, to, note);
      const detail = toDetail(updated, await repo.timeline(tx, dossier.id));
      if (eventId) await repo.completeRequest(tx, scopeOf(actor), eventId, 200, detail);
      return { detail, at: iso(event.at) };
    });

    if ('replay' in outcome) return outcome.replay as Answer<DossierDetail>;
    this.kick();
    this.bus.emit('dossier.changed', { hallId: actor.hallId, code, status: outcome.detail.status, counterId: outcome.detail.counterId, at: outcome.at });
    return { status: 200, body: outcome.detail, replay: false };
  }

  /** The public view of a dossier; `hallId` limits it to one hall (devices, staff), null searches all (the public page). */
  async lookup(rawCode: string, hallId: number | null): Promise<PublicDossier> {
    const code = parseCode(rawCode);
    const found = await repo.findDossierWithTimeline(this.db, code, hallId);
    if (!found) throw new HubError(404, 'dossier_not_found', `Không tìm thấy hồ sơ ${code}`);
    return toPublic(found.dossier, found.events);
  }

  async detail(rawCode: string, hallId: number): Promise<DossierDetail> {
    const code = parseCode(rawCode);
    const found = await repo.findDossierWithTimeline(this.db, code, hallId);
    if (!found) throw new HubError(404, 'dossier_not_found', `Không tìm thấy hồ sơ ${code}`);
    return toDetail(found.dossier, found.events);
  }

  /** Dossiers received on one hall day (today by default), newest first, optionally of one counter, status or search. */
  async list(hallId: number, q: DossierListQuery): Promise<DossierList> {
    if (q.day !== undefined && !isValidDay(q.day)) throw badRequest(`Ngày ${q.day} không có trong lịch`);
    const day = q.day ?? (await repo.hallInfo(this.db, hallId))?.day;
    if (!day) throw notFound(`Không có trung tâm số ${hallId}`);
    const search = q.q?.trim();
    const rows = await repo.listDossiers(this.db, {
      hallId,
      day,
      counterId: q.counterId ?? null,
      status: q.status ?? null,
      search: search ? likeSafe(search) : null,
      limit: q.limit ?? 100,
    });
    return { day, items: rows.map(toSummary) };
  }

  async stats(hallId: number, from: string, to: string): Promise<DossierStats> {
    if (!isValidDay(from) || !isValidDay(to)) throw badRequest('from/to phải là ngày có thật, dạng YYYY-MM-DD');
    if (from > to) throw badRequest('from phải trước hoặc bằng to');
    if (addDays(from, 3 * 366) < to) throw badRequest('Khoảng thời gian tối đa 3 năm');
    const rows = await repo.stats(this.db, hallId, from, to);
    const sum = (k: keyof Omit<repo.StatsRow, 'status'>) => rows.reduce((a, r) => a + r[k], 0);
    return {
      from,
      to,
      received: sum('n'),
      byStatus: Object.fromEntries(rows.map((r) => [r.status, r.n])),
      early: sum('early'),
      onTime: sum('on_time'),
      late: sum('late'),
      pending: sum('pending'),
      pendingOverdue: sum('pending_overdue'),
    };
  }

  /** Upkeep: forgets eventIds older than 30 days. */
  pruneRequests(): Promise<number> {
    return repo.pruneRequests(this.db, 30);
  }

  lookupUrl(code: string): string {
    return `${this.config.publicUrl}/lookup/?code=${encodeURIComponent(code)}`;
  }

  // ---- helpers ----

  /** Claims the caller's eventId; returns the earlier answer when it was already used (409 if for another request). */
  private async claim(tx: Tx, actor: DossierActor, eventId: string, request: unknown): Promise<Answer<DossierDetail> | null> {
    const earlier = await repo.claimRequest(tx, scopeOf(actor), eventId, hashOf(request));
    if (!earlier) return null;
    if (earlier.request_hash !== hashOf(request)) {
      throw conflict(`eventId "${eventId}" đã được dùng cho một yêu cầu khác`, 'event_id_reused');
    }
    if (earlier.status_code === null || earlier.response === null) throw conflict(`eventId "${eventId}" đang được xử lý`, 'event_in_progress');
    return { status: earlier.status_code, body: earlier.response as DossierDetail, replay: true };
  }

  private async queueWebhooks(tx: Tx, d: repo.DossierRow, e: repo.EventRow, type: WebhookPayload['type']): Promise<void> {
    for (const target of await webhookTargets(tx, d.hall_id)) {
      const deliveryId = `${e.id}-${target.id}`;
      const payload: WebhookPayload = {
        id: deliveryId,
        type,
        at: iso(e.at),
        dossier: { code: d.code, procedure: d.procedure_name, status: d.status, receivedAt: iso(d.received_at), dueAt: iso(d.due_at) },
        event: { status: e.status, from: e.from_status, at: iso(e.at), note: e.note, eventId: e.event_id },
      };
      await outbox.enqueue(tx, {
        hallId: d.hall_id,
        dossierId: d.id,
        triggerEventId: e.id,
        integrationKeyId: target.id,
        target: target.webhook_url,
        payload: { channel: 'webhook', body: JSON.stringify(payload), deliveryId },
      });
    }
  }

  private async queueNotices(tx: Tx, d: repo.DossierRow, e: repo.EventRow, status: 'result_ready' | 'supplement_required', note: string | null) {
    const facts = {
      status,
      code: d.code,
      procedure: d.procedure_name,
      applicantName: d.applicant_name,
      hallName: d.hall_name,
      counterNumber: d.counter_number,
      note,
      lookupUrl: this.lookupUrl(d.code),
    };
    const base = { hallId: d.hall_id, dossierId: d.id, triggerEventId: e.id, integrationKeyId: null };
    if (d.applicant_email) {
      if (this.config.smtpUrl) {
        await outbox.enqueue(tx, { ...base, target: d.applicant_email, payload: { channel: 'email', ...emailNotice(facts), note: EMAIL_SENT_NOTE } });
      } else this.log.info({ code: d.code }, 'no SMTP_URL: e-mail notice not sent');
    }
    if (d.applicant_phone) {
      if (this.config.smsGatewayUrl) {
        await outbox.enqueue(tx, { ...base, target: d.applicant_phone, payload: { channel: 'sms', text: smsNotice(facts), note: SMS_SENT_NOTE } });
      } else this.log.info({ code: d.code }, 'no SMS_GATEWAY_URL: SMS notice not sent');
    }
  }
}
