/**
 * socket.io event maps: the one definition of every live message between the hub and its clients.
 *
 * Connect with `io(hubUrl, { auth: { token } })` where token is a device token or a staff login token.
 * The hub puts each socket in rooms by hall, role/device kind and counter, and sends a snapshot right
 * after connecting (and on `snapshot:get`), so a client can always rebuild its screen after a reconnect.
 */
import type { CccdScanEvent } from './cccd.js';
import { Type, type Static } from '@sinclair/typebox';
import { Id, Nullable } from './common.js';
import { Counter } from './setup.js';
import { TicketStatus } from './queue.js';
import { DossierStatus } from './dossiers.js';
import type { RatingRequest } from './ratings.js';
import type { BoardSnapshot } from './board.js';
import type { DeviceHealthEvent } from './voice.js';
import type { AgentPrinterReport, AgentPrintJob, AgentPrintResult, AgentScan, PrintStatusEvent, ScanEvent } from './hardware.js';

/** A number called (or called again) at a counter. Sent to displays, the counter's room and the board. */
/**
 * Where a realtime message stands in its hall's stream from one hub process: `n` counts 1, 2, 3… per hall and
 * `origin` (a hub process). A screen that sees a gap asks `snapshot:get` (ui-kit/seq.ts).
 */
export const RealtimeSeq = Type.Object({ origin: Type.String({ maxLength: 40 }), n: Type.Integer({ minimum: 1 }) });
export type RealtimeSeq = Static<typeof RealtimeSeq>;

export const CallEvent = Type.Object({
  ticketId: Id,
  number: Type.String(),
  counterId: Id,
  counterNumber: Type.Integer(),
  counterName: Type.String(),
  serviceId: Id,
  serviceName: Type.String(),
  recall: Type.Boolean(),
  at: Type.String({ format: 'date-time' }),
  /** The announcement's audio (audio/wav, GET with the display's token); absent when the hall's voice is off. */
  audioUrl: Type.Optional(Type.String()),
  /** Set on the `call` sent to sockets (not on the bus event). */
  seq: Type.Optional(RealtimeSeq),
});
export type CallEvent = Static<typeof CallEvent>;

/** What a hall display shows: every counter's current number and the latest calls, newest first. */
export const DisplaySnapshot = Type.Object({
  hallName: Type.String(),
  counters: Type.Array(
    Type.Object({
      id: Id,
      number: Type.Integer(),
      name: Type.String(),
      status: Type.String(),
      currentNumber: Nullable(Type.String()),
    }),
  ),
  recentCalls: Type.Array(CallEvent),
  /** The languages the display shows, alternating when there are two (the hall's `displayLanguages`). */
  languages: Type.Optional(Type.Array(Type.Union([Type.Literal('vi'), Type.Literal('en')]))),
  at: Type.String({ format: 'date-time' }),
});
export type DisplaySnapshot = Static<typeof DisplaySnapshot>;

/** Waiting counts per service of a hall, sent whenever a queue changes. */
export const QueueUpdate = Type.Object({
  services: Type.Array(Type.Object({ serviceId: Id, waiting: Type.Integer() })),
  at: Type.String({ format: 'date-time' }),
});
export type QueueUpdate = Static<typeof QueueUpdate>;

/** A ticket changed state (for staff consoles, the board and a citizen following the ticket). */
export const TicketUpdate = Type.Object({
  id: Id,
  number: Type.String(),
  serviceId: Id,
  status: TicketStatus,
  counterId: Nullable(Id),
  at: Type.String({ format: 'date-time' }),
});
export type TicketUpdate = Static<typeof TicketUpdate>;

/** A dossier changed status (staff consoles and managers of the hall; no applicant data). */
export const DossierUpdate = Type.Object({
  code: Type.String(),
  status: DossierStatus,
  /** The counter that received it. */
  counterId: Nullable(Id),
  at: Type.String({ format: 'date-time' }),
});
export type DossierUpdate = Static<typeof DossierUpdate>;

/** Heartbeat a device sends every few seconds, with the faults it sees in its own hardware. */
export const DeviceHeartbeat = Type.Object(
  {
    faults: Type.Optional(
      Type.Array(
        Type.Object({ code: Type.String({ maxLength: 64 }), message: Type.String({ maxLength: 500 }) }, { additionalProperties: false }),
        { maxItems: 20 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type DeviceHeartbeat = Static<typeof DeviceHeartbeat>;

/** Acknowledgement of a client → hub command. */
export type Ack<T = unknown> = (reply: { ok: true; data?: T } | { ok: false; error: { code: string; message: string } }) => void;

/** Events the hub sends. */
export interface ServerToClientEvents {
  /** A call or recall (displays, the board, the counter's room). */
  call: (event: CallEvent) => void;
  /** Full display state, sent on connect and on `snapshot:get`. */
  'display:snapshot': (snapshot: DisplaySnapshot) => void;
  /** Waiting counts per service (kiosks, staff consoles, the board). */
  'queue:update': (update: QueueUpdate) => void;
  /** A counter opened, paused, closed or changed its current ticket. */
  'counter:update': (counter: Counter) => void;
  /** A ticket changed state. */
  'ticket:update': (update: TicketUpdate) => void;
  /** An admin changed the hall's set-up (hall, departments, services, counters, procedures): every screen of the hall re-reads it; displays also get a new `display:snapshot`. */
  'setup:update': (update: { at: string }) => void;
  /** A dossier was received or changed status (staff consoles: the dossier panel refreshes its list). */
  'dossier:update': (update: DossierUpdate) => void;
  /** A ticket was just served at this counter: the counter's rating tablet asks the citizen to rate it (counter room only). */
  'rating:request': (request: RatingRequest) => void;
  /** The managers' live board changed (managers room and subscribed board displays; coalesced, at most every 500 ms per hall). */
  'board:update': (snapshot: BoardSnapshot) => void;
  /** A device or hub-local driver went online/offline or its faults changed (managers room). */
  'device:health': (event: DeviceHealthEvent) => void;
  /** The outcome of a print this device asked for (a kiosk's ticket; receipts and reprints also go to staff consoles). */
  'print:status': (status: PrintStatusEvent) => void;
  /** A job for a hardware agent to print (the agent's device room); answered with `agent:print-result`. */
  'print:job': (job: AgentPrintJob) => void;
  /** A code scanned on the agent paired with this lookup kiosk. */
  scan: (scan: ScanEvent) => void;
  /** An identity card (CCCD QR) scanned at this staff member's counter, parsed (the staff member's own sockets only). */
  'cccd:scan': (scan: CccdScanEvent) => void;
}

/** Commands clients send to the hub. Every payload is validated by the hub. */
export interface ClientToServerEvents {
  /** Ask for this client's snapshot again (e.g. after a long sleep). */
  'snapshot:get': (ack?: Ack) => void;
  /** Device health report. */
  'device:heartbeat': (heartbeat: DeviceHeartbeat, ack?: Ack) => void;
  /** The live board (managers, admins, display devices): join its updates; the ack carries the current snapshot. */
  'board:subscribe': (ack?: Ack<BoardSnapshot>) => void;
  /** Agent: the outcome of a `print:job`; the ack means the hub recorded it. */
  'agent:print-result': (result: AgentPrintResult, ack?: Ack) => void;
  /** Agent: its printer's status, on connect and on every change. */
  'agent:printer': (report: AgentPrinterReport, ack?: Ack) => void;
  /** Agent: a code its barcode scanner read; forwarded as `scan` to the paired lookup kiosk. */
  'agent:scan': (scan: AgentScan, ack?: Ack<{ delivered: number }>) => void;
}

/** Room names: one place so the hub and tests agree. */
export const rooms = {
  hall: (hallId: number) => `hall:${hallId}`,
  displays: (hallId: number) => `hall:${hallId}:displays`,
  staff: (hallId: number) => `hall:${hallId}:staff`,
  managers: (hallId: number) => `hall:${hallId}:managers`,
  kiosks: (hallId: number) => `hall:${hallId}:kiosks`,
  counter: (counterId: number) => `counter:${counterId}`,
  device: (deviceId: number) => `device:${deviceId}`,
  /** Every socket of a staff account (cut when its sessions are revoked, it is disabled or its role changes). */
  user: (userId: number) => `user:${userId}`,
  /** The sockets opened with one login (cut at logout); the key is the session token's hash. */
  session: (tokenHash: string) => `session:${tokenHash}`,
} as const;
