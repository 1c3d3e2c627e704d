/**
 * Dossiers (hồ sơ thủ tục hành chính): the procedure catalogue, reception at a counter, the status machine,
 * the public lookup, the holiday calendar used for due dates, and the keys of outside systems.
 *
 * Dossier code: `<agency id>-YYMMDD-XXXX` (e.g. `000.00.12.H40-221012-0001`): the hall's agency identifier,
 * the hall's day of receipt, a 4-digit daily sequence per hall (more digits past 9999).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Id, Nullable } from './common.js';

// ---------------------------------------------------------------------------------------------
// Statuses and the state machine
// ---------------------------------------------------------------------------------------------

export const DOSSIER_STATUSES = [
  'received',
  'rejected',
  'processing',
  'supplement_required',
  'payment_required',
  'withdrawn',
  'suspended',
  'result_ready',
  'returned',
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];
export const DossierStatus = Type.Union(DOSSIER_STATUSES.map((s) => Type.Literal(s)));

/** Labels as Vietnamese one-stop systems word them, and in English. */
export const DOSSIER_STATUS_LABELS: Record<DossierStatus, { vi: string; en: string }> = {
  received: { vi: 'Đã tiếp nhận', en: 'Received' },
  rejected: { vi: 'Không được tiếp nhận', en: 'Not accepted' },
  processing: { vi: 'Đang xử lý', en: 'Processing' },
  supplement_required: { vi: 'Yêu cầu bổ sung hồ sơ', en: 'Additional documents required' },
  payment_required: { vi: 'Yêu cầu thực hiện nghĩa vụ tài chính', en: 'Fees or taxes to be paid' },
  withdrawn: { vi: 'Công dân yêu cầu rút hồ sơ', en: 'Withdrawn at the applicant’s request' },
  suspended: { vi: 'Dừng xử lý', en: 'Processing stopped' },
  result_ready: { vi: 'Đã có kết quả, chờ trả', en: 'Result ready for collection' },
  returned: { vi: 'Đã trả kết quả', en: 'Result handed over' },
};

/**
 * Allowed transitions. A received dossier can be handled on the spot (certified copies: received → result_ready).
 * Rejection (không được tiếp nhận) happens only at reception; a refusal after processing is itself a result.
 * rejected, withdrawn, suspended and returned are final.
 */
export const DOSSIER_TRANSITIONS: Record<DossierStatus, readonly DossierStatus[]> = {
  received: ['processing', 'rejected', 'supplement_required', 'payment_required', 'result_ready', 'withdrawn', 'suspended'],
  processing: ['supplement_required', 'payment_required', 'result_ready', 'withdrawn', 'suspended'],
  supplement_required: ['processing', 'withdrawn', 'suspended'],
  payment_required: ['processing', 'result_ready', 'withdrawn', 'suspended'],
  result_ready: ['returned'],
  rejected: [],
  withdrawn: [],
  suspended: [],
  returned: [],
};

export const canTransition = (from: DossierStatus, to: DossierStatus): boolean => DOSSIER_TRANSITIONS[from].includes(to);

/** Statuses in which a dossier is still being handled (its clock runs, it can be extended). */
export const DOSSIER_OPEN_STATUSES: readonly DossierStatus[] = ['received', 'processing', 'supplement_required', 'payment_required'];

/**
 * What a timeline row records: a status change, or `extended` — an apology with a new due date (Mẫu 04), which
 * keeps the dossier's status.
 */
export const DOSSIER_EVENT_STATUSES = [...DOSSIER_STATUSES, 'extended'] as const;
export type DossierEventStatus = (typeof DOSSIER_EVENT_STATUSES)[number];
export const DossierEventStatus = Type.Union(DOSSIER_EVENT_STATUSES.map((s) => Type.Literal(s)));
export const EXTENDED_LABEL = { vi: 'Gia hạn (xin lỗi và hẹn lại ngày trả kết quả)', en: 'Extended (apology and new due date)' };
export const eventStatusLabel = (s: DossierEventStatus, l: 'vi' | 'en' = 'vi'): string => (s === 'extended' ? EXTENDED_LABEL[l] : DOSSIER_STATUS_LABELS[s][l]);

export const SUBMISSION_CHANNELS = ['in_person', 'online', 'postal'] as const;
export type SubmissionChannel = (typeof SUBMISSION_CHANNELS)[number];
export const SubmissionChannel = Type.Union(SUBMISSION_CHANNELS.map((s) => Type.Literal(s)), { description: 'trực tiếp, trực tuyến, bưu chính' });
export const CHANNEL_LABELS: Record<SubmissionChannel, string> = { in_person: 'Trực tiếp', online: 'Trực tuyến', postal: 'Qua dịch vụ bưu chính' };

export const RETURN_METHODS = ['at_hall', 'postal'] as const;
export type ReturnMethod = (typeof RETURN_METHODS)[number];
export const ReturnMethod = Type.Union(RETURN_METHODS.map((s) => Type.Literal(s)), { description: 'at the hall, or by post to returnAddress' });
export const RETURN_LABELS: Record<ReturnMethod, string> = { at_hall: 'Tại Trung tâm', postal: 'Qua dịch vụ bưu chính' };

/**
 * The key printed on the receipt beside the code: 8 letters and digits without look-alikes (no 0/O, 1/I/L).
 * The public lookup shows the masked name and the notes for the citizen only with it.
 */
export const LOOKUP_KEY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const LOOKUP_KEY_PATTERN = '^[A-HJKMNP-Z2-9]{8}$';
export const LookupKey = Type.String({ pattern: LOOKUP_KEY_PATTERN, description: 'the 8-character key printed on the receipt' });

/**
 * A scanned or typed lookup: a dossier code, `CODE/KEY` (the receipt's barcode), or the receipt's QR address
 * (`…/lookup/?code=CODE&key=KEY`). Returns the code and the key in upper case (the key null when absent).
 */
export function parseLookupInput(raw: string): { code: string; key: string | null } {
  const text = raw.trim();
  const url = /[?&]code=([^&#\s]+)/i.exec(text);
  if (url) {
    const key = /[?&]key=([^&#\s]+)/i.exec(text);
    const dec = (s: string) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    };
    return { code: dec(url[1]!).trim().toUpperCase(), key: key ? dec(key[1]!).trim().toUpperCase() : null };
  }
  const slash = text.split('/');
  if (slash.length === 2) return { code: slash[0]!.trim().toUpperCase(), key: slash[1]!.trim().toUpperCase() || null };
  return { code: text.toUpperCase(), key: null };
}

/** The dossier code as printed on the receipt. */
export const DOSSIER_CODE_PATTERN = '^[A-Za-z0-9]+(\\.[A-Za-z0-9]+)*-[0-9]{6}-[0-9]{4,6}$';
export const isDossierCode = (code: string): boolean => new RegExp(DOSSIER_CODE_PATTERN).test(code);

/** One line of text: no control characters, at least one visible character. */
const LINE = '^[^\\x00-\\x1F\\x7F]*\\S[^\\x00-\\x1F\\x7F]*$';
/** Free text over several lines: no control characters but newlines and tabs. */
const TEXT = '^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]*$';
const Line = (minLength: number, maxLength: number) => Type.String({ minLength, maxLength, pattern: LINE });
export const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD' });

// ---------------------------------------------------------------------------------------------
// Procedures (thủ tục hành chính)
// ---------------------------------------------------------------------------------------------

/** A paper of a procedure's dossier (thành phần hồ sơ), with how many originals, certified copies and copies it takes. */
export const Paper = Type.Object(
  {
    name: Line(1, 300),
    originals: Type.Integer({ minimum: 0, maximum: 20 }),
    copies: Type.Integer({ minimum: 0, maximum: 20, description: 'copies (bản sao), certified or not' }),
    certifiedCopies: Type.Optional(Type.Integer({ minimum: 0, maximum: 20, description: 'of the copies, how many are certified (bản sao chứng thực)' })),
  },
  { additionalProperties: false },
);
export type Paper = Static<typeof Paper>;
const Papers = Type.Array(Paper, { maxItems: 60 });
const ClockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, hall time' });

export const Procedure = Type.Object({
  id: Id,
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  departmentId: Nullable(Id),
  departmentName: Nullable(Type.String()),
  serviceId: Nullable(Id),
  processingDays: Type.Integer({ description: 'legal processing time in working days (0: the same day)' }),
  fee: Type.Integer({ description: 'fee in VND' }),
  active: Type.Boolean(),
  papers: Papers,
  cutoffTime: Nullable(ClockTime),
  processingHours: Nullable(Type.Integer({ description: 'when set, the processing time is this many working hours (processingDays is then ignored)' })),
});
export type Procedure = Static<typeof Procedure>;

export const CreateProcedureBody = Type.Object(
  {
    name: Line(2, 300),
    nameEn: Type.Optional(Line(1, 300)),
    departmentId: Type.Optional(Id),
    serviceId: Type.Optional(Id),
    processingDays: Type.Integer({ minimum: 0, maximum: 365 }),
    fee: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000_000 })),
    active: Type.Optional(Type.Boolean()),
    papers: Type.Optional(Papers),
    cutoffTime: Type.Optional(Nullable(ClockTime)),
    processingHours: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 2000 }))),
  },
  { additionalProperties: false },
);
export type CreateProcedureBody = Static<typeof CreateProcedureBody>;

/**
 * `PATCH /api/v1/procedures/:id` (admin): the fields to change, e.g. when the law changes a processing time or fee.
 * `nameEn`, `departmentId`, `serviceId` null (or `nameEn` empty) remove them; `active: false` stops new dossiers of
 * the procedure (dossiers already received keep it, and their due dates, fixed at receipt).
 */
export const UpdateProcedureBody = Type.Object(
  {
    name: Type.Optional(CreateProcedureBody.properties.name),
    nameEn: Type.Optional(Nullable(Type.String({ maxLength: 300, pattern: '^[^\\x00-\\x1F\\x7F]*$' }))),
    departmentId: Type.Optional(Nullable(Id)),
    serviceId: Type.Optional(Nullable(Id)),
    processingDays: Type.Optional(CreateProcedureBody.properties.processingDays),
    fee: Type.Optional(CreateProcedureBody.properties.fee),
    active: Type.Optional(CreateProcedureBody.properties.active),
    papers: Type.Optional(Papers),
    cutoffTime: Type.Optional(Nullable(ClockTime)),
    processingHours: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 2000 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateProcedureBody = Static<typeof UpdateProcedureBody>;

export const ProcedureListQuery = Type.Object(
  { active: Type.Optional(Type.Boolean({ description: 'true: only the procedures receiving new dossiers; false: only those switched off' })) },
  { additionalProperties: false },
);
export type ProcedureListQuery = Static<typeof ProcedureListQuery>;

// ---------------------------------------------------------------------------------------------
// Dossiers
// ---------------------------------------------------------------------------------------------

/** The caller's id of one request: sending the same eventId again returns the first result and changes nothing. */
export const EventId = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._:@-]+$' });

export const CreateDossierBody = Type.Object(
  {
    procedure: Type.Union([Id, Line(2, 300)], {
      description: 'the procedure: its id in the catalogue, or its exact name (case-insensitive)',
    }),
    applicantName: Type.String({ minLength: 1, maxLength: 120, pattern: '^[^\\x00-\\x1F\\x7F<>]*\\S[^\\x00-\\x1F\\x7F<>]*$' }),
    applicantPhone: Type.Optional(Type.String({ minLength: 8, maxLength: 20, pattern: '^\\+?[0-9][0-9 .-]{6,18}[0-9]$' })),
    applicantEmail: Type.Optional(Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@<>,;]+@[^\\s@<>,;]+\\.[^\\s@<>,;]+$' })),
    applicantIdNumber: Type.Optional(Type.String({ pattern: '^[0-9]{12}$', description: 'CCCD, 12 digits (checked: province code, century and year of birth)' })),
    applicantBirthDate: Type.Optional(IsoDate),
    applicantAddress: Type.Optional(Line(2, 300)),
    channel: Type.Optional(SubmissionChannel),
    returnMethod: Type.Optional(ReturnMethod),
    returnAddress: Type.Optional(Line(5, 300)),
    papers: Type.Optional(Type.Array(Paper, { maxItems: 60, description: "the procedure's papers ticked at reception, with the counts handed in" })),
    sets: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'number of sets (bộ hồ sơ)' })),
    ticketId: Type.Optional(Id),
    eventId: Type.Optional(EventId),
  },
  { additionalProperties: false },
);
export type CreateDossierBody = Static<typeof CreateDossierBody>;

/** A paper the applicant must add or complete, with why (Mẫu 02 lists each). */
export const MissingPaper = Type.Object({ name: Line(1, 300), reason: Line(1, 500) }, { additionalProperties: false });
export type MissingPaper = Static<typeof MissingPaper>;

/**
 * A status change, or `extended` with `newDueAt` and `reason` (an apology and a new due date, Mẫu 04; only for a
 * dossier that is late). `reason` is required for `rejected` (Mẫu 03) and `suspended` (Mẫu 05); `missingPapers`
 * (at least one) for `supplement_required` (Mẫu 02). `forCitizen`: the note shows on the public lookup.
 */
export const DossierEventBody = Type.Object(
  {
    status: DossierEventStatus,
    note: Type.Optional(Type.String({ maxLength: 1000, pattern: TEXT })),
    forCitizen: Type.Optional(Type.Boolean({ description: 'the note is for the citizen (shown on the public lookup with the key)' })),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, pattern: TEXT })),
    newDueAt: Type.Optional(Type.String({ format: 'date-time' })),
    missingPapers: Type.Optional(Type.Array(MissingPaper, { maxItems: 60 })),
    eventId: Type.Optional(EventId),
  },
  { additionalProperties: false },
);
export type DossierEventBody = Static<typeof DossierEventBody>;

export const DossierCodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64, pattern: LINE }) });
export type DossierCodeParams = Static<typeof DossierCodeParams>;

export const LookupQuery = Type.Object(
  { key: Type.Optional(Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9]*$', description: 'the lookup key printed on the receipt' })) },
  { additionalProperties: false },
);
export type LookupQuery = Static<typeof LookupQuery>;

export const FORM_NUMBERS = ['01', '02', '03', '04', '05', '06'] as const;
export type FormNumber = (typeof FORM_NUMBERS)[number];
export const FORM_TITLES: Record<FormNumber | '07', string> = {
  '01': 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
  '02': 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ',
  '03': 'Phiếu từ chối tiếp nhận, giải quyết hồ sơ',
  '04': 'Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết',
  '05': 'Thông báo dừng giải quyết hồ sơ',
  '06': 'Phiếu kiểm soát quá trình giải quyết hồ sơ',
  '07': 'Sổ theo dõi hồ sơ',
};
export const FormParams = Type.Object({
  code: DossierCodeParams.properties.code,
  form: Type.Union(FORM_NUMBERS.map((f) => Type.Literal(f)), { description: '01 receipt, 02 supplement request, 03 refusal, 04 apology and extension, 05 stop notice, 06 processing control sheet' }),
});
export type FormParams = Static<typeof FormParams>;
export const RegisterQuery = Type.Object({ from: IsoDate, to: IsoDate }, { additionalProperties: false });
export type RegisterQuery = Static<typeof RegisterQuery>;

/** A hand-over between departments (chuyển xử lý), a row of the processing control sheet. */
export const Handover = Type.Object({
  id: Id,
  fromUnit: Type.String(),
  toUnit: Type.String(),
  by: Nullable(Type.String()),
  at: Type.String({ format: 'date-time' }),
  deadlineAt: Nullable(Type.String({ format: 'date-time' })),
  outcome: Nullable(Type.String()),
  doneAt: Nullable(Type.String({ format: 'date-time' })),
});
export type Handover = Static<typeof Handover>;

export const HandoverBody = Type.Object(
  {
    fromUnit: Line(1, 200),
    toUnit: Line(1, 200),
    deadlineAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type HandoverBody = Static<typeof HandoverBody>;
export const HandoverDoneBody = Type.Object({ outcome: Line(1, 500) }, { additionalProperties: false });
export type HandoverDoneBody = Static<typeof HandoverDoneBody>;
export const HandoverParams = Type.Object({ code: DossierCodeParams.properties.code, id: Id });
export type HandoverParams = Static<typeof HandoverParams>;

export const TimelineEntry = Type.Object({
  status: DossierEventStatus,
  at: Type.String({ format: 'date-time' }),
  note: Nullable(Type.String()),
  kind: Type.Union([Type.Literal('status'), Type.Literal('notification')], { description: 'a status change, or a notice sent to the applicant' }),
  /** Who made the change (staff member or outside system); staff and integrations only, never on the public lookup. */
  by: Type.Optional(Nullable(Type.String())),
  /** Staff and integrations only: whether the note shows on the public lookup. */
  forCitizen: Type.Optional(Type.Boolean()),
  reason: Type.Optional(Nullable(Type.String())),
  missingPapers: Type.Optional(Nullable(Type.Array(MissingPaper))),
  /** `extended`: the due date before and after. */
  oldDueAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  newDueAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
});
export type TimelineEntry = Static<typeof TimelineEntry>;

export const PickupCounter = Type.Object({ number: Type.Integer(), name: Type.String() });

/**
 * What the lookup kiosk and the public see: never the identity number, birth date, address, phone or e-mail.
 * Without the receipt's key (`?key=`): the procedure, status, due date and what to do next only (`applicantName`
 * null, `timeline` empty); with it also the masked name and the notes staff marked for the citizen.
 */
export const PublicDossier = Type.Object({
  code: Type.String(),
  procedure: Type.String(),
  status: DossierStatus,
  receivedAt: Type.String({ format: 'date-time' }),
  dueAt: Type.String({ format: 'date-time' }),
  overdue: Type.Boolean(),
  applicantName: Nullable(Type.String({ description: 'masked: family name, then initials, e.g. "Nguyễn V** A*"; null without the key' })),
  withKey: Type.Boolean({ description: 'whether the right lookup key was given' }),
  hallName: Type.String(),
  /** Where the result is collected: the counter that received the dossier. */
  pickupCounter: Nullable(PickupCounter),
  timeline: Type.Array(TimelineEntry),
});
export type PublicDossier = Static<typeof PublicDossier>;

/** What staff and outside systems see. */
export const DossierDetail = Type.Object({
  code: Type.String(),
  procedure: Type.String(),
  procedureId: Id,
  status: DossierStatus,
  receivedAt: Type.String({ format: 'date-time' }),
  dueAt: Type.String({ format: 'date-time' }),
  overdue: Type.Boolean(),
  applicantName: Type.String(),
  applicantPhone: Nullable(Type.String()),
  applicantEmail: Nullable(Type.String()),
  applicantIdNumber: Nullable(Type.String()),
  applicantBirthDate: Nullable(Type.String()),
  applicantAddress: Nullable(Type.String()),
  channel: SubmissionChannel,
  returnMethod: ReturnMethod,
  returnAddress: Nullable(Type.String()),
  papers: Type.Array(Paper),
  sets: Type.Integer(),
  fee: Type.Integer({ description: 'fee in VND, as at receipt' }),
  /** The due date fixed at receipt; `dueAt` differs after a supplement round (the clock stopped) or an extension. */
  originalDueAt: Type.String({ format: 'date-time' }),
  supplementRounds: Type.Integer({ description: 'supplement requests so far; a second one counts as a violation' }),
  lookupKey: Nullable(Type.String({ description: 'printed on the receipt; null for dossiers received before keys existed' })),
  formVersion: Type.String({ description: 'the form templates in force at receipt' }),
  handovers: Type.Array(Handover),
  ticketId: Nullable(Id),
  counterId: Nullable(Id),
  counterNumber: Nullable(Type.Integer()),
  staffName: Nullable(Type.String()),
  nextStatuses: Type.Array(DossierStatus),
  timeline: Type.Array(TimelineEntry),
});
export type DossierDetail = Static<typeof DossierDetail>;

/** A row of the console's list: the detail without timeline, contacts beyond the phone, and ids. */
export const DossierSummary = Type.Pick(DossierDetail, [
  'code',
  'procedure',
  'status',
  'receivedAt',
  'dueAt',
  'overdue',
  'applicantName',
  'applicantPhone',
  'counterNumber',
  'nextStatuses',
]);
export type DossierSummary = Static<typeof DossierSummary>;


export const DossierListQuery = Type.Object(
  {
    day: Type.Optional(IsoDate),
    counterId: Type.Optional(Id),
    status: Type.Optional(DossierStatus),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: LINE, description: 'part of the code, the applicant name or phone' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
export type DossierListQuery = Static<typeof DossierListQuery>;

export const DossierList = Type.Object({ day: Type.String(), items: Type.Array(DossierSummary) });
export type DossierList = Static<typeof DossierList>;

export const DossierStatsQuery = Type.Object({ from: IsoDate, to: IsoDate }, { additionalProperties: false });
export type DossierStatsQuery = Static<typeof DossierStatsQuery>;

/** Timeliness against the legal limit, over dossiers received from `from` to `to` (hall days, inclusive). */
export const DossierStats = Type.Object({
  from: Type.String(),
  to: Type.String(),
  received: Type.Integer(),
  byStatus: Type.Record(Type.String(), Type.Integer()),
  /** Dossiers with a result: before the due day, on the due day (by dueAt), after dueAt. */
  early: Type.Integer(),
  onTime: Type.Integer(),
  late: Type.Integer(),
  /** Dossiers still in progress: within their due time, past it. */
  pending: Type.Integer(),
  pendingOverdue: Type.Integer(),
});
export type DossierStats = Static<typeof DossierStats>;

// ---------------------------------------------------------------------------------------------
// Holidays (working-day calendar)
// ---------------------------------------------------------------------------------------------

export const HolidayKind = Type.Union([Type.Literal('holiday'), Type.Literal('workday')], {
  description: 'holiday: a day off; workday: a weekend day worked in exchange (ngày làm bù)',
});
export type HolidayKind = Static<typeof HolidayKind>;

export const Holiday = Type.Object({
  id: Id,
  day: Type.String(),
  name: Type.String(),
  kind: HolidayKind,
  provisional: Type.Boolean({ description: 'not yet decided by the government (a swap day announced later): may still change' }),
});
export type Holiday = Static<typeof Holiday>;

export const CreateHolidayBody = Type.Object(
  { day: IsoDate, name: Line(1, 200), kind: Type.Optional(HolidayKind), provisional: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type CreateHolidayBody = Static<typeof CreateHolidayBody>;

export const HolidayListQuery = Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) }, { additionalProperties: false });

export const LoadHolidaysBody = Type.Object(
  { years: Type.Array(Type.Integer({ minimum: 2000, maximum: 2100 }), { minItems: 1, maxItems: 10, uniqueItems: true }) },
  { additionalProperties: false },
);
export type LoadHolidaysBody = Static<typeof LoadHolidaysBody>;

// ---------------------------------------------------------------------------------------------
// Integrations (outside systems: the province's one-stop system)
// ---------------------------------------------------------------------------------------------

export const CreateIntegrationBody = Type.Object(
  {
    name: Line(1, 120),
    webhookUrl: Type.Optional(Type.String({ maxLength: 500, pattern: '^https?://[^\\x00-\\x20\\x7F]+$' })),
  },
  { additionalProperties: false },
);
export type CreateIntegrationBody = Static<typeof CreateIntegrationBody>;

export const Integration = Type.Object({
  id: Id,
  name: Type.String(),
  keyPrefix: Type.String({ description: 'the first characters of the key, to recognise it' }),
  webhookUrl: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  revoked: Type.Boolean(),
});
export type Integration = Static<typeof Integration>;

/** Shown once: the key (send as `X-Api-Key`) and the secret webhooks are signed with. */
export const CreatedIntegration = Type.Object({
  id: Id,
  name: Type.String(),
  key: Type.String(),
  webhookUrl: Nullable(Type.String()),
  webhookSecret: Type.String({ description: 'HMAC-SHA256 key of the X-HallHub-Signature header (sha256=<hex of the body>)' }),
});
export type CreatedIntegration = Static<typeof CreatedIntegration>;

/** Body of every webhook delivery (POST, JSON, header `X-HallHub-Signature: sha256=<hmac hex>`). */
export const WebhookPayload = Type.Object({
  id: Type.String({ description: 'delivery id, stable across retries' }),
  type: Type.Union([Type.Literal('dossier.received'), Type.Literal('dossier.status_changed')]),
  at: Type.String({ format: 'date-time' }),
  dossier: Type.Object({ code: Type.String(), procedure: Type.String(), status: DossierStatus, receivedAt: Type.String(), dueAt: Type.String() }),
  event: Type.Object({ status: DossierEventStatus, from: Nullable(DossierStatus), at: Type.String(), note: Nullable(Type.String()), eventId: Nullable(Type.String()) }),
});
export type WebhookPayload = Static<typeof WebhookPayload>;
