/**
 * Printing and the hardware agent: the messages between the hub, kiosks, staff consoles and the agent
 * process (`npm run agent`) that runs a kiosk PC's printer and barcode scanner.
 *
 * Where prints go is a device's `printer` field:
 * - `tcp://host:9100`, `/dev/usb/lp0`, `sim`: the hub prints itself (network printer, a printer device the
 *   hub's machine can open, or the simulator that saves each print as PNG + text under `<DATA_DIR>/prints/`).
 * - `agent:<agentDeviceId>` (a kiosk or lookup kiosk): that agent device runs the printer (and scanner) of
 *   this device's PC; the hub sends it the job over socket.io. On the agent device itself the field is `agent`.
 * Options follow as a query string: `?type=epson|star&text=raster|cp1258&width=80|58&cp=52&timeout=3000`
 * (`text=cp1258` prints Vietnamese through the printer's Windows-1258 code page instead of raster images).
 *
 * Agent flow: the hub emits `print:job` to the agent's device room; the agent prints (rendering the document
 * for its own printer) and answers `agent:print-result` with the job id. The hub marks the job printed only
 * on that answer and sends every job still queued again when the agent reconnects; the agent keeps the ids
 * it printed in a file, so a job sent twice is printed once and answered from that file.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Id, Nullable, Timestamp } from './common.js';

/** An ISO-8601 instant in a payload validated by `validator()` (which knows no `format`s). */
const Instant = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})$', maxLength: 40 });
const Uuid = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });

/** A printer's condition. `ok` and `paper_near_end` can print; the others cannot. */
export const PrinterState = Type.Union([
  Type.Literal('ok'),
  Type.Literal('paper_near_end'),
  Type.Literal('paper_out'),
  Type.Literal('cover_open'),
  /** No connection, or connected but the printer does not answer its status query. */
  Type.Literal('unreachable'),
  /** The printer stopped answering in the middle of a job: it may have printed part of it. */
  Type.Literal('timeout'),
  Type.Literal('error'),
]);
export type PrinterState = Static<typeof PrinterState>;

/** The outcome of one print job: a printer state, `no_printer` (none configured), `expired` (never delivered in time), or `maybe_printed`. */
export const PrintState = Type.Union([
  ...PrinterState.anyOf,
  Type.Literal('no_printer'),
  Type.Literal('expired'),
  /** The whole job reached the printer but it never confirmed (the connection dropped after the cut): it may be on paper. */
  Type.Literal('maybe_printed'),
]);
export type PrintState = Static<typeof PrintState>;

/** What a status query found. */
export const PrinterStatus = Type.Object({
  state: PrinterState,
  /** True when a job can be printed now (`ok` or `paper_near_end`). */
  ok: Type.Boolean(),
  reachable: Type.Boolean(),
  paperOut: Type.Boolean(),
  paperNearEnd: Type.Boolean(),
  /** Null when the printer does not report its cover. */
  coverOpen: Nullable(Type.Boolean()),
  /** Vietnamese, for the kiosk screen and the board. */
  message: Type.String(),
  checkedAt: Timestamp,
});
export type PrinterStatus = Static<typeof PrinterStatus>;

/** `GET /api/v1/printers/status`: the asking kiosk's own printer (staff: `?deviceId=`). */
export const PrinterStatusQuery = Type.Object({ deviceId: Type.Optional(Id) }, { additionalProperties: false });
export type PrinterStatusQuery = Static<typeof PrinterStatusQuery>;

export const PrinterStatusReply = Type.Object({
  deviceId: Id,
  /** The device's printer field; null when it has none. */
  printer: Nullable(Type.String()),
  /** Who drives the printer: the hub itself, an agent, or nobody (no printer configured). */
  via: Type.Union([Type.Literal('hub'), Type.Literal('agent'), Type.Literal('none')]),
  /** Null when the device has no printer. */
  status: Nullable(PrinterStatus),
});
export type PrinterStatusReply = Static<typeof PrinterStatusReply>;

/** Everything printed on a queue ticket. Dates are ISO instants, shown in `timezone`. */
export const TicketPrintData = Type.Object({
  ticketId: Id,
  hallName: Type.String({ maxLength: 300 }),
  serviceName: Type.String({ maxLength: 300 }),
  number: Type.String({ maxLength: 20 }),
  priority: Type.Boolean(),
  issuedAt: Instant,
  timezone: Type.String({ maxLength: 64 }),
  ahead: Type.Integer({ minimum: 0 }),
  /** null: no counter that serves the service is open. */
  estimatedWaitMinutes: Nullable(Type.Integer({ minimum: 0 })),
  estimatedWaitRange: Type.Optional(Nullable(Type.Object({ low: Type.Integer({ minimum: 0 }), high: Type.Integer({ minimum: 0 }) }))),
  /** The public ticket-follow page, printed as a QR code: `${publicUrl}/kiosk/t/${ticketId}`. */
  url: Type.String({ maxLength: 500 }),
  /** The hall's footer (`halls.settings.ticketFooter`). */
  footer: Type.String({ maxLength: 500 }),
});
export type TicketPrintData = Static<typeof TicketPrintData>;

/** Everything printed on a dossier receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả). */
export const ReceiptPrintData = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 80, pattern: '^[\\x20-\\x7E]+$' }),
  hallName: Type.String({ maxLength: 300 }),
  procedure: Type.String({ maxLength: 500 }),
  applicantName: Type.String({ maxLength: 200 }),
  receivedAt: Instant,
  dueAt: Instant,
  timezone: Type.String({ maxLength: 64 }),
  staffName: Type.String({ maxLength: 200 }),
  /** The public lookup of the dossier, printed as a QR code. */
  lookupUrl: Type.String({ maxLength: 500 }),
  /** The lookup key printed beside the code and in the barcode (`CODE/KEY`); absent on receipts before keys. */
  lookupKey: Type.Optional(Type.String({ maxLength: 16, pattern: '^[A-Z0-9]+$' })),
});
export type ReceiptPrintData = Static<typeof ReceiptPrintData>;

/** What to print: the printer side (hub or agent) lays it out for its own printer. */
export const PrintDocument = Type.Union([
  Type.Object({ kind: Type.Literal('ticket'), ticket: TicketPrintData }),
  Type.Object({ kind: Type.Literal('receipt'), receipt: ReceiptPrintData }),
]);
export type PrintDocument = Static<typeof PrintDocument>;

export const PrintJobKind = Type.Union([Type.Literal('ticket'), Type.Literal('receipt')]);
export type PrintJobKind = Static<typeof PrintJobKind>;

export const PrintJobStatus = Type.Union([Type.Literal('queued'), Type.Literal('printed'), Type.Literal('failed')]);
export type PrintJobStatus = Static<typeof PrintJobStatus>;

/** A recorded print job (`print_jobs`), as the HTTP API shows it. */
export const PrintJob = Type.Object({
  id: Id,
  kind: PrintJobKind,
  /** The ticket id or the dossier code. */
  ref: Type.String(),
  ticketId: Nullable(Id),
  /** The device whose printer prints the job. */
  deviceId: Nullable(Id),
  /** The agent that delivers it, when the hub does not print itself. */
  agentId: Nullable(Id),
  printer: Nullable(Type.String()),
  status: PrintJobStatus,
  /** The printer's state at the outcome; null while queued. */
  state: Nullable(PrintState),
  attempts: Type.Integer(),
  error: Nullable(Type.String()),
  reprintOf: Nullable(Id),
  createdAt: Timestamp,
  printedAt: Nullable(Timestamp),
});
export type PrintJob = Static<typeof PrintJob>;

/**
 * `POST /tickets/:id/reprint` body. A ticket whose last print may be on paper (`maybe_printed`) is reprinted only
 * with `confirm: true` (409 `may_be_on_paper` otherwise): staff are asked first.
 */
export const ReprintBody = Type.Object({ confirm: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type ReprintBody = Static<typeof ReprintBody>;

export const PrintJobsQuery = Type.Object(
  {
    status: Type.Optional(PrintJobStatus),
    deviceId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
export type PrintJobsQuery = Static<typeof PrintJobsQuery>;

// ---- socket.io payloads ----

/** `print:status` (hub → the device that asked for the print, and staff consoles for receipts and reprints). */
export const PrintStatusEvent = Type.Object({
  jobId: Id,
  kind: PrintJobKind,
  ref: Type.String(),
  ticketId: Nullable(Id),
  counterId: Nullable(Id),
  /** True when the job printed. False: show the number / the receipt on screen and warn. */
  ok: Type.Boolean(),
  state: PrintState,
  message: Type.String(),
  at: Timestamp,
});
export type PrintStatusEvent = Static<typeof PrintStatusEvent>;

/** `print:job` (hub → agent): one job to print. Sent again, same `uid`, until the agent answers it. */
export const AgentPrintJob = Type.Object({
  id: Id,
  /** Globally unique id of the job: the agent's printed-jobs file is keyed by it. */
  uid: Uuid,
  document: PrintDocument,
  createdAt: Instant,
});
export type AgentPrintJob = Static<typeof AgentPrintJob>;

/** `agent:print-result` (agent → hub): the outcome of a job. The ack confirms the hub recorded it. */
export const AgentPrintResult = Type.Object(
  {
    id: Id,
    uid: Uuid,
    ok: Type.Boolean(),
    state: PrintState,
    message: Type.String({ maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type AgentPrintResult = Static<typeof AgentPrintResult>;

/** `agent:printer` (agent → hub): the agent's printer status, on connect and whenever it changes. */
export const AgentPrinterReport = Type.Object(
  {
    state: PrinterState,
    paperOut: Type.Boolean(),
    paperNearEnd: Type.Boolean(),
    coverOpen: Nullable(Type.Boolean()),
    message: Type.String({ maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type AgentPrinterReport = Static<typeof AgentPrinterReport>;

/** `agent:scan` (agent → hub): a code read by the agent's barcode scanner. */
export const AgentScan = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\x00-\\x1F\\x7F]+$' }) },
  { additionalProperties: false },
);
export type AgentScan = Static<typeof AgentScan>;

/**
 * `scan` (hub → lookup kiosk): a code scanned on the agent paired with this lookup kiosk (the lookup device's
 * printer field is `agent:<agentId>`). The lookup page looks the dossier up as if the code had been typed.
 */
export const ScanEvent = Type.Object({ code: Type.String(), at: Timestamp, agentId: Id });
export type ScanEvent = Static<typeof ScanEvent>;
