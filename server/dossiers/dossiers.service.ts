/**
 * Dossiers: reception at a counter (or by an outside system), the status machine and its timeline, the public
 * lookup, the procedure catalogue and the working-day calendar. Every change is one transaction that also writes
 * its webhooks and applicant notices to the outbox; events go out only after the commit.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { type Db, type Queryable, type Tx, transaction } from '../db/pool.js';
import type { Config } from '../config.js';
import type { EventBus } from '../events.js';
import { HubError, badRequest, conflict, forbidden, notFound } from '../errors.js';
import {
  DOSSIER_OPEN_STATUSES,
  DOSSIER_STATUS_LABELS,
  DOSSIER_TRANSITIONS,
  FORM_TITLES,
  LOOKUP_KEY_ALPHABET,
  canTransition,
  idNumberProblem,
  isDossierCode,
  type FormNumber,
  type Handover,
  type HandoverBody,
  type Paper,
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
import {
  DEFAULT_CLOSING_TIME,
  addDays,
  addWorkingDays,
  addWorkingMinutes,
  calendarSpan,
  formatMinute,
  isValidDay,
  isWorkingDay,
  knownHolidayYears,
  nextWorkingDay,
  parseLocal,
  toMinute,
  vnHolidays,
  workingHours,
  workingMinutesBetween,
  type Calendar,
  type LocalTime,
} from './workdays.js';
import { FORM_VERSION, renderForm, renderRegister, type FormData } from './forms.js';
import { cleanCode, cleanName, formatDossierCode, isAgencyId, maskName, placeOf } from './format.js';
import { emailNotice, isNoticeStatus, smsNotice, EMAIL_SENT_NOTE, SMS_SENT_NOTE, type NoticeStatus } from '../notifications/templates.js';


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

/** Timeline rows addressed to the citizen by their nature: the formal letters of Mẫu 02–05 carry their reason. */
const LETTER_STATUSES = new Set(['supplement_required', 'rejected', 'suspended', 'extended']);

/**
 * The timeline as staff see it (`internal`: everything, with who), or as the citizen sees it with the receipt's
 * key: notes only where staff marked them for the citizen, the reasons of the letters addressed to them.
 */
export function toTimeline(events: (repo.EventRow & { by?: string | null })[], internal: boolean): TimelineEntry[] {
  return events.map((e) =>
    internal
      ? {
          status: e.status,
          at: iso(e.at),
          note: e.note,
          kind: e.kind,
          by: e.by ?? null,
          forCitizen: e.for_citizen,
          reason: e.reason,
          missingPapers: e.papers,
          oldDueAt: e.old_due_at ? iso(e.old_due_at) : null,
          newDueAt: e.new_due_at ? iso(e.new_due_at) : null,
        }
      : {
          status: e.status,
          at: iso(e.at),
          note: e.for_citizen ? e.note : null,
          kind: e.kind,
          ...(LETTER_STATUSES.has(e.status) ? { reason: e.reason, missingPapers: e.papers } : {}),
          ...(e.status === 'extended' ? { newDueAt: e.new_due_at ? iso(e.new_due_at) : null } : {}),
        },
  );
}

const handoverView = (h: repo.HandoverRow): Handover => ({
  id: h.id,
  fromUnit: h.from_unit,
  toUnit: h.to_unit,
  by: h.by,
  at: iso(h.at),
  deadlineAt: h.deadline_at ? iso(h.deadline_at) : null,
  outcome: h.outcome,
  doneAt: h.done_at ? iso(h.done_at) : null,
});

/** A fresh lookup key: 8 characters of an alphabet without look-alikes (~40 bits). */
export const newLookupKey = (): string => Array.from({ length: 8 }, () => LOOKUP_KEY_ALPHABET[randomInt(LOOKUP_KEY_ALPHABET.length)]).join('');

const keyMatches = (given: string | null | undefined, stored: string | null): boolean => {
  if (!given || !stored) return false;
  const a = Buffer.from(given.toUpperCase());
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Paper names compared as staff type them: NFC, case and spaces ignored. */
const paperKey = (name: string) => name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

export function toDetail(d: repo.DossierRow, events: (repo.EventRow & { by?: string | null })[], handovers: repo.HandoverRow[] = []): DossierDetail {
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
    applicantIdNumber: d.applicant_id_number,
    applicantBirthDate: d.applicant_birth_date,
    applicantAddress: d.applicant_address,
    channel: d.channel,
    returnMethod: d.return_method,
    returnAddress: d.return_address,
    papers: d.papers,
    sets: d.sets,
    fee: Number(d.fee),
    originalDueAt: iso(d.original_due_at),
    supplementRounds: d.supplement_rounds,
    lookupKey: d.lookup_key,
    formVersion: d.form_version,
    handovers: handovers.map(handoverView),
    ticketId: d.ticket_id,
    counterId: d.counter_id,
    counterNumber: d.counter_number,
    staffName: d.staff_name,
    nextStatuses: [...DOSSIER_TRANSITIONS[d.status]],
    timeline: toTimeline(events, true),
  };
}

/** The public view; without the right key only the procedure, status, due date and where to go next. */
export function toPublic(d: repo.DossierRow, events: repo.EventRow[], withKey: boolean): PublicDossier {
  return {
    code: d.code,
    procedure: d.procedure_name,
    status: d.status,
    receivedAt: iso(d.received_at),
    dueAt: iso(d.due_at),
    overdue: d.overdue,
    applicantName: withKey ? maskName(d.applicant_name) : null,
    withKey,
    hallName: d.hall_name,
    pickupCounter: d.counter_number !== null ? { number: d.counter_number, name: d.counter_name ?? '' } : null,
    timeline: withKey ? toTimeline(events, false) : [],
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
    fee: Number(p.fee),
    active: p.active,
    papers: p.papers,
    cutoffTime: p.cutoff_time,
    processingHours: p.processing_hours,
  };
}

/** The code of a request, checked: upper-cased, trimmed, in the receipt's format; 400 otherwise. */
export function parseCode(raw: string): string {
  const code = cleanCode(raw);
  if (!isDossierCode(code)) throw badRequest(MALFORMED_CODE_MESSAGE, 'malformed_code');
  return code;
}

/** The agency identifier that starts a hall's dossier codes. */
const agencyOf = (hall: repo.HallInfo): string =>
  (hall.agency_id && isAgencyId(hall.agency_id) ? hall.agency_id : hall.code.replace(/[^A-Za-z0-9.]/g, '') || `HALL${hall.id}`).toUpperCase();

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
        papers: this.checkPapers(body.papers ?? []),
        cutoffTime: body.cutoffTime ?? null,
        processingHours: body.processingHours ?? null,
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
        ...(body.papers !== undefined ? { papers: this.checkPapers(body.papers) } : {}),
        ...(body.cutoffTime !== undefined ? { cutoffTime: body.cutoffTime } : {}),
        ...(body.processingHours !== undefined ? { processingHours: body.processingHours } : {}),
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

  /** A procedure's list of papers, cleaned; 400 when a name repeats or a paper asks for nothing. */
  private checkPapers(papers: Paper[]): Paper[] {
    const seen = new Set<string>();
    return papers.map((p) => {
      const name = cleanName(p.name);
      if (seen.has(paperKey(name))) throw badRequest(`Giấy tờ "${name}" có hai lần trong danh sách / paper listed twice`, 'paper_repeated');
      seen.add(paperKey(name));
      if (p.originals + p.copies === 0) throw badRequest(`Giấy tờ "${name}" phải có ít nhất một bản chính hoặc bản sao / a paper needs at least one copy`);
      if ((p.certifiedCopies ?? 0) > p.copies) throw badRequest(`Giấy tờ "${name}": số bản sao chứng thực lớn hơn số bản sao`);
      return { name, originals: p.originals, copies: p.copies, ...(p.certifiedCopies !== undefined ? { certifiedCopies: p.certifiedCopies } : {}) };
    });
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
    const row = await repo.insertHoliday(this.db, hallId, { day: body.day, name, kind: body.kind ?? 'holiday', provisional: body.provisional ?? false });
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
    const applicantIdNumber = body.applicantIdNumber ?? null;
    const applicantBirthDate = body.applicantBirthDate ?? null;
    if (applicantBirthDate !== null && !isValidDay(applicantBirthDate)) throw badRequest(`Ngày sinh ${applicantBirthDate} không có trong lịch / not a calendar day`, 'invalid_birth_date');
    if (applicantIdNumber !== null) {
      const problem = idNumberProblem(applicantIdNumber, applicantBirthDate);
      if (problem) throw badRequest(problem, 'invalid_id_number');
    }
    const applicantAddress = body.applicantAddress ? cleanName(body.applicantAddress) : null;
    const returnMethod = body.returnMethod ?? 'at_hall';
    const returnAddress = body.returnAddress ? cleanName(body.returnAddress) : returnMethod === 'postal' ? applicantAddress : null;
    if (returnMethod === 'postal' && !returnAddress) {
      throw badRequest('Trả kết quả qua bưu chính cần địa chỉ nhận (returnAddress hoặc applicantAddress) / a postal return needs an address', 'return_address_required');
    }

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

      const papers = this.receivedPapers(procedure, body.papers ?? []);

      let ticketId: number | null = null;
      if (body.ticketId !== undefined) {
        const ticket = await repo.ticketBrief(tx, actor.hallId, body.ticketId);
        if (!ticket) throw notFound(`Không có phiếu số ${body.ticketId}`);
        if (counter && ticket.counter_id !== counter.id) {
          throw conflict(`Số ${ticket.number} không được phục vụ tại quầy ${counter.number}`, 'ticket_not_at_counter');
        }
        ticketId = ticket.id;
      }

      const closing = hall.closing_time && /^\d{2}:\d{2}$/.test(hall.closing_time) ? hall.closing_time : DEFAULT_CLOSING_TIME;
      const due = await this.dueOf(tx, hall, closing, procedure);
      const agency = agencyOf(hall);
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
        dueDay: due.day,
        dueTime: formatMinute(due.minute),
        counterId: counter?.id ?? null,
        staffId: actor.kind === 'staff' ? actor.userId : null,
        ticketId,
        integrationKeyId: actor.kind === 'integration' ? actor.keyId : null,
        applicantIdNumber,
        applicantBirthDate,
        applicantAddress,
        channel: body.channel ?? (actor.kind === 'integration' ? 'online' : 'in_person'),
        returnMethod,
        returnAddress,
        papers,
        sets: body.sets ?? 1,
        fee: Number(procedure.fee),
        processingHours: procedure.processing_hours,
        lookupKey: newLookupKey(),
        formVersion: FORM_VERSION,
        snapshot: {
          procedureName: procedure.name,
          hallName: hall.name,
          placeName: hall.place_name ?? placeOf(hall.name),
          staffName: actor.kind === 'staff' ? actor.name : null,
          processing: procedure.processing_hours ? `${procedure.processing_hours} giờ làm việc` : `${procedure.processing_days} ngày làm việc`,
        },
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
        forCitizen: true,
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
          lookupUrl: this.lookupUrl(dossier.code, dossier.lookup_key),
          lookupKey: dossier.lookup_key,
        },
      });
    }
    return { status: 201, body: detail, replay: false };
  }

  /**
   * Moves a dossier along its status machine (409 for a move the machine does not allow), or extends it
   * (`extended`: an apology with a new due date, only when it is late). Leaving `supplement_required` moves the due
   * date by the working time spent waiting for the applicant.
   */
  async addEvent(actor: DossierActor, rawCode: string, body: DossierEventBody): Promise<Answer<DossierDetail>> {
    const code = parseCode(rawCode);
    const note = body.note?.normalize('NFC').trim() || null;
    const reason = body.reason?.normalize('NFC').trim() || null;
    const { eventId, ...request } = body;
    const to = body.status;
    if (body.missingPapers && to !== 'supplement_required') throw badRequest('missingPapers chỉ dùng khi yêu cầu bổ sung hồ sơ', 'unexpected_field');
    if (to === 'extended' && !body.newDueAt) throw badRequest('Gia hạn cần ngày hẹn trả mới (newDueAt) / newDueAt is required', 'new_due_required');
    if (body.newDueAt && to !== 'extended') throw badRequest('newDueAt chỉ dùng khi gia hạn (status extended)', 'unexpected_field');
    /** What each letter must say; checked once the move itself is known to be allowed. */
    const requireContent = () => {
      if ((to === 'rejected' || to === 'suspended' || to === 'extended') && !reason) {
        const what = to === 'rejected' ? 'Từ chối' : to === 'suspended' ? 'Dừng giải quyết' : 'Gia hạn';
        throw badRequest(`${what} hồ sơ cần ghi rõ lý do (reason) / a reason is required`, 'reason_required');
      }
      if (to === 'supplement_required' && !(body.missingPapers && body.missingPapers.length)) {
        throw badRequest('Yêu cầu bổ sung phải liệt kê từng giấy tờ cần bổ sung và lý do (missingPapers) / list each missing paper', 'missing_papers_required');
      }
    };
    const missingPapers = body.missingPapers?.map((m) => ({ name: cleanName(m.name), reason: cleanName(m.reason) })) ?? null;

    const outcome = await transaction(this.db, async (tx) => {
      if (eventId) {
        const earlier = await this.claim(tx, actor, eventId, { op: 'event', code, request });
        if (earlier) return { replay: earlier } as const;
      }
      const dossier = await repo.findDossier(tx, code, actor.hallId, true);
      if (!dossier) throw notFound(`Không tìm thấy hồ sơ ${code}`);
      const from = dossier.status;
      const counter = actor.kind === 'staff' ? await repo.openCounterOf(tx, actor.hallId, actor.userId) : null;
      const who = {
        staffId: actor.kind === 'staff' ? actor.userId : null,
        counterId: counter?.id ?? null,
        integrationKeyId: actor.kind === 'integration' ? actor.keyId : null,
        eventId: eventId ?? null,
      };
      let event: repo.EventRow;
      if (to === 'extended') {
        if (!DOSSIER_OPEN_STATUSES.includes(from)) {
          throw conflict(`Hồ sơ ${code} đang ở trạng thái "${label(from)}": không thể gia hạn / only a dossier in progress can be extended`, 'not_in_progress');
        }
        requireContent();
        const newDue = new Date(body.newDueAt!);
        if (Number.isNaN(newDue.getTime())) throw badRequest('newDueAt không phải thời điểm hợp lệ', 'invalid_due');
        if (newDue.getTime() <= dossier.due_at.getTime()) {
          throw badRequest(`Ngày hẹn mới phải sau ngày hẹn hiện tại (${iso(dossier.due_at)}) / the new due date must be after the current one`, 'due_not_later');
        }
        const hall = (await repo.hallInfo(tx, actor.hallId))!;
        if (!dossier.overdue && hall.day < dossier.due_day) {
          throw conflict(
            `Hồ sơ ${code} chưa đến hạn (hẹn ${dossier.due_day}): chỉ xin lỗi và gia hạn khi hồ sơ đã hoặc sắp quá hạn trong ngày / not late`,
            'not_late',
          );
        }
        await repo.setDueAt(tx, dossier.id, newDue.toISOString());
        event = await repo.insertEvent(tx, {
          dossierId: dossier.id,
          kind: 'status',
          status: 'extended',
          fromStatus: from,
          note,
          forCitizen: body.forCitizen ?? false,
          reason,
          oldDueAt: dossier.due_at,
          newDueAt: newDue,
          ...who,
        });
      } else {
        if (!canTransition(from, to)) {
          const allowed = DOSSIER_TRANSITIONS[from].map(label);
          throw conflict(
            `Không thể chuyển hồ sơ ${code} từ "${label(from)}" sang "${label(to)}"` +
              (allowed.length ? ` (được phép: ${allowed.join(', ')})` : ' (hồ sơ đã kết thúc)'),
            'invalid_transition',
          );
        }
        requireContent();
        if (from === 'supplement_required' && dossier.paused_local) await this.resumeClock(tx, dossier);
        await repo.setDossierStatus(tx, dossier.id, to);
        event = await repo.insertEvent(tx, {
          dossierId: dossier.id,
          kind: 'status',
          status: to,
          fromStatus: from,
          note,
          forCitizen: body.forCitizen ?? false,
          reason,
          papers: missingPapers,
          ...who,
        });
      }
      const updated = (await repo.findDossierById(tx, dossier.id))!;
      await this.queueWebhooks(tx, updated, event, 'dossier.status_changed');
      if (to === 'extended') await this.queueNotices(tx, updated, event, 'extended', reason);
      else if (isNoticeStatus(to)) await this.queueNotices(tx, updated, event, to, missingPapers ? missingPapers.map((m) => `${m.name} (${m.reason})`).join('; ') : note);
      const detail = toDetail(updated, await repo.timeline(tx, dossier.id), await repo.handovers(tx, dossier.id));
      if (eventId) await repo.completeRequest(tx, scopeOf(actor), eventId, 200, detail);
      return { detail, at: iso(event.at) };
    });

    if ('replay' in outcome) return outcome.replay as Answer<DossierDetail>;
    this.kick();
    this.bus.emit('dossier.changed', { hallId: actor.hallId, code, status: outcome.detail.status, counterId: outcome.detail.counterId, at: outcome.at });
    return { status: 200, body: outcome.detail, replay: false };
  }

  /** The clock restarts: the due date moves by the working time between the supplement request and now. */
  private async resumeClock(tx: Tx, d: repo.DossierRow): Promise<void> {
    const hall = (await repo.hallInfo(tx, d.hall_id))!;
    const paused = parseLocal(d.paused_local!);
    const now = parseLocal(hall.local_now);
    const due = parseLocal(d.due_local);
    const hours = workingHours(hall.closing_time && /^\d{2}:\d{2}$/.test(hall.closing_time) ? hall.closing_time : DEFAULT_CLOSING_TIME);
    const from = paused.day < due.day ? paused.day : due.day;
    const cal = await this.calendar(tx, d.hall_id, addDays(from, -1), addDays(now.day > due.day ? now.day : due.day, 2 * 366));
    const waited = workingMinutesBetween(paused, now, cal, hours);
    if (waited === 0) return;
    const moved = addWorkingMinutes(due, waited, cal, hours);
    await repo.setDue(tx, d.id, moved.day, formatMinute(moved.minute));
  }

  /**
   * The due moment of a dossier received now: the cut-off time moves the start to the next working day; the
   * processing time counts working days (due at the closing time) or working hours (inside the hall's working hours).
   */
  private async dueOf(tx: Tx, hall: repo.HallInfo, closing: string, p: repo.ProcedureRow): Promise<LocalTime> {
    const now = parseLocal(hall.local_now);
    const cal = await this.calendar(tx, hall.id, now.day, addDays(now.day, calendarSpan(Math.max(p.processing_days, Math.ceil((p.processing_hours ?? 0) / 8))) + 30));
    let start = now;
    if (p.cutoff_time && now.minute >= toMinute(p.cutoff_time)) start = { day: nextWorkingDay(now.day, cal), minute: 0 };
    if (p.processing_hours) return addWorkingMinutes(start, p.processing_hours * 60, cal, workingHours(closing));
    const startDay = start.day === now.day || isWorkingDay(start.day, cal) ? start.day : nextWorkingDay(start.day, cal);
    return { day: await this.dueDay(tx, hall.id, startDay, p.processing_days), minute: toMinute(closing) };
  }

  /** The papers handed in, checked against the procedure's list (when it has one); counts default to the procedure's. */
  private receivedPapers(p: repo.ProcedureRow, given: Paper[]): Paper[] {
    const known = new Map(p.papers.map((x) => [paperKey(x.name), x]));
    const seen = new Set<string>();
    return given.map((g) => {
      const k = paperKey(g.name);
      if (seen.has(k)) throw badRequest(`Giấy tờ "${g.name}" được đánh dấu hai lần / paper ticked twice`, 'paper_repeated');
      seen.add(k);
      const own = known.get(k);
      if (known.size && !own) {
        throw badRequest(`"${cleanName(g.name)}" không thuộc thành phần hồ sơ của thủ tục "${p.name}" / not a paper of this procedure`, 'paper_not_in_procedure');
      }
      return { name: own?.name ?? cleanName(g.name), originals: g.originals, copies: g.copies, ...(g.certifiedCopies !== undefined ? { certifiedCopies: g.certifiedCopies } : {}) };
    });
  }

  /**
   * The public view of a dossier; `hallId` limits it to one hall (devices, staff), null searches all (the public
   * page). `wrongKey`: a key was given and it is not the dossier's (the caller counts it as a miss).
   */
  async lookup(rawCode: string, hallId: number | null, key: string | null = null): Promise<{ dossier: PublicDossier; wrongKey: boolean }> {
    const code = parseCode(rawCode);
    const found = await repo.findDossierWithTimeline(this.db, code, hallId);
    if (!found) throw new HubError(404, 'dossier_not_found', `Không tìm thấy hồ sơ ${code}`);
    const withKey = keyMatches(key, found.dossier.lookup_key);
    return { dossier: toPublic(found.dossier, found.events, withKey), wrongKey: !!key && !withKey };
  }

  async detail(rawCode: string, hallId: number): Promise<DossierDetail> {
    const code = parseCode(rawCode);
    const found = await repo.findDossierWithTimeline(this.db, code, hallId);
    if (!found) throw new HubError(404, 'dossier_not_found', `Không tìm thấy hồ sơ ${code}`);
    return toDetail(found.dossier, found.events, await repo.handovers(this.db, found.dossier.id));
  }

  /** The agency part of the hall's codes and today's date part (YYMMDD). */
  async codePrefix(hallId: number): Promise<{ agencyId: string; today: string }> {
    const hall = await repo.hallInfo(this.db, hallId);
    if (!hall) throw notFound(`Không có trung tâm số ${hallId}`);
    return { agencyId: agencyOf(hall), today: hall.day.slice(2).replace(/-/g, '') };
  }

  // ---- hand-overs (chuyển xử lý) ----

  async handover(actor: DossierActor, rawCode: string, body: HandoverBody): Promise<DossierDetail> {
    const code = parseCode(rawCode);
    const detail = await transaction(this.db, async (tx) => {
      const d = await repo.findDossier(tx, code, actor.hallId, true);
      if (!d) throw notFound(`Không tìm thấy hồ sơ ${code}`);
      if (!DOSSIER_OPEN_STATUSES.includes(d.status)) throw conflict(`Hồ sơ ${code} đã kết thúc ("${label(d.status)}"): không chuyển xử lý được`, 'not_in_progress');
      if (body.deadlineAt !== undefined && Number.isNaN(new Date(body.deadlineAt).getTime())) throw badRequest('deadlineAt không hợp lệ');
      await repo.insertHandover(tx, {
        dossierId: d.id,
        fromUnit: cleanName(body.fromUnit),
        toUnit: cleanName(body.toUnit),
        staffId: actor.kind === 'staff' ? actor.userId : null,
        deadlineAt: body.deadlineAt ?? null,
      });
      return toDetail(d, await repo.timeline(tx, d.id), await repo.handovers(tx, d.id));
    });
    return detail;
  }

  async completeHandover(actor: DossierActor, rawCode: string, id: number, outcome: string): Promise<DossierDetail> {
    const code = parseCode(rawCode);
    return transaction(this.db, async (tx) => {
      const d = await repo.findDossier(tx, code, actor.hallId, true);
      if (!d) throw notFound(`Không tìm thấy hồ sơ ${code}`);
      if (!(await repo.completeHandover(tx, d.id, id, cleanName(outcome)))) throw notFound(`Hồ sơ ${code} không có bước chuyển số ${id} đang chờ kết quả`);
      return toDetail(d, await repo.timeline(tx, d.id), await repo.handovers(tx, d.id));
    });
  }

  // ---- forms (Thông tư 03/2025/TT-VPCP) ----

  /** A form of a dossier as a PDF; 409 when the form does not apply to the dossier's state. */
  async form(hallId: number, rawCode: string, form: FormNumber): Promise<Buffer> {
    const code = parseCode(rawCode);
    const found = await repo.findDossierWithTimeline(this.db, code, hallId);
    if (!found) throw new HubError(404, 'dossier_not_found', `Không tìm thấy hồ sơ ${code}`);
    const { dossier: d, events } = found;
    const last = (status: string) => [...events].reverse().find((e) => e.status === status) ?? null;
    const notApplicable = (why: string) => conflict(`Mẫu ${form} (${FORM_TITLES[form]}) không áp dụng cho hồ sơ ${code}: ${why}`, 'form_not_applicable');
    let event: repo.EventRow | null = null;
    switch (form) {
      case '01':
        if (d.status === 'rejected') throw notApplicable('hồ sơ không được tiếp nhận');
        break;
      case '02':
        event = last('supplement_required');
        if (!event) throw notApplicable('chưa có yêu cầu bổ sung');
        break;
      case '03':
        event = last('rejected');
        if (d.status !== 'rejected' || !event) throw notApplicable('hồ sơ không bị từ chối');
        break;
      case '04':
        event = last('extended');
        if (!event) throw notApplicable('hồ sơ chưa được gia hạn');
        break;
      case '05':
        event = last('suspended');
        if (d.status !== 'suspended' || !event) throw notApplicable('hồ sơ không bị dừng giải quyết');
        break;
      case '06':
        break;
    }
    const hall = (await repo.hallInfo(this.db, hallId))!;
    const data: FormData = {
      dossier: d,
      events,
      event,
      handovers: await repo.handovers(this.db, d.id),
      hall,
      lookupUrl: this.lookupUrl(d.code, d.lookup_key),
    };
    return renderForm(form, data);
  }

  /** The register (sổ theo dõi hồ sơ, Mẫu 07) of dossiers received from `from` to `to`. */
  async register(hallId: number, from: string, to: string): Promise<Buffer> {
    if (!isValidDay(from) || !isValidDay(to)) throw badRequest('from/to phải là ngày có thật, dạng YYYY-MM-DD');
    if (from > to) throw badRequest('from phải trước hoặc bằng to');
    if (addDays(from, 366) < to) throw badRequest('Sổ theo dõi tối đa một năm mỗi lần in / at most one year');
    const hall = (await repo.hallInfo(this.db, hallId))!;
    return renderRegister({ hall, from, to, rows: await repo.registerRows(this.db, hallId, from, to) });
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

  /** The public lookup of a dossier, with its key when it has one (the receipt's QR, the applicant's notices). */
  lookupUrl(code: string, key: string | null = null): string {
    return `${this.config.publicUrl}/lookup/?code=${encodeURIComponent(code)}${key ? `&key=${key}` : ''}`;
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

  private async queueNotices(tx: Tx, d: repo.DossierRow, e: repo.EventRow, status: NoticeStatus, note: string | null) {
    const facts = {
      status,
      code: d.code,
      procedure: d.procedure_name,
      applicantName: d.applicant_name,
      hallName: d.hall_name,
      counterNumber: d.counter_number,
      note,
      dueAt: iso(d.due_at),
      timezone: d.timezone,
      lookupUrl: this.lookupUrl(d.code, d.lookup_key),
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
