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

/** The dossier code as printed on the receipt. */
export const DOSSIER_CODE_PATTERN = '^[A-Za-z0-9]+(\\.[A-Za-z0-9]+)*-[0-9]{6}-[0-9]{4,6}$';
export const isDossierCode = (code: string): boolean => new RegExp(DOSSIER_CODE_PATTERN).test(code);

/** One line of text: no control characters, at least one visible character. */
const LINE = '^[^\\x00-\\x1F\\x7F]*\\S[^\\x00-\\x1F\\x7F]*$';
/** Free text over several lines: no control characters but newlines and tabs. */
const TEXT = '^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]*$';
const Line = (minLength: number, maxLength: number) => Type.String({ minLength, maxLength, pattern: LINE });

// ---------------------------------------------------------------------------------------------
// Procedures (thủ tục hành chính)
// ---------------------------------------------------------------------------------------------

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
    ticketId: Type.Optional(Id),
    eventId: Type.Optional(EventId),
  },
  { additionalProperties: false },
);
export type CreateDossierBody = Static<typeof CreateDossierBody>;

export const DossierEventBody = Type.Object(
  {
    status: DossierStatus,
    note: Type.Optional(Type.String({ maxLength: 1000, pattern: TEXT })),
    eventId: Type.Optional(EventId),
  },
  { additionalProperties: false },
);
export type DossierEventBody = Static<typeof DossierEventBody>;

export const DossierCodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64, pattern: LINE }) });
export type DossierCodeParams = Static<typeof DossierCodeParams>;

export const TimelineEntry = Type.Object({
  status: DossierStatus,
  at: Type.String({ format: 'date-time' }),
  note: Nullable(Type.String()),
  kind: Type.Union([Type.Literal('status'), Type.Literal('notification')], { description: 'a status change, or a notice sent to the applicant' }),
  /** Who made the change (staff member or outside system); staff and integrations only, never on the public lookup. */
  by: Type.Optional(Nullable(Type.String())),
});
export type TimelineEntry = Static<typeof TimelineEntry>;

export const PickupCounter = Type.Object({ number: Type.Integer(), name: Type.String() });

/** What the lookup kiosk and the public see: no phone, no e-mail, the applicant's name masked. */
export const PublicDossier = Type.Object({
  code: Type.String(),
  procedure: Type.String(),
  status: DossierStatus,
  receivedAt: Type.String({ format: 'date-time' }),
  dueAt: Type.String({ format: 'date-time' }),
  overdue: Type.Boolean(),
  applicantName: Type.String({ description: 'masked: family name, then initials, e.g. "Nguyễn V** A*"' }),
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

export const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD' });

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

export const Holiday = Type.Object({ id: Id, day: Type.String(), name: Type.String(), kind: HolidayKind });
export type Holiday = Static<typeof Holiday>;

export const CreateHolidayBody = Type.Object(
  { day: IsoDate, name: Line(1, 200), kind: Type.Optional(HolidayKind) },
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
  event: Type.Object({ status: DossierStatus, from: Nullable(DossierStatus), at: Type.String(), note: Nullable(Type.String()), eventId: Nullable(Type.String()) }),
});
export type WebhookPayload = Static<typeof WebhookPayload>;
