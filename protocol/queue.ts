/** Queue: tickets and the counter actions that move them. */
import { Type, type Static } from '@sinclair/typebox';
import { Id, Nullable } from './common.js';

/** A waiting-time range in whole minutes ("khoảng 10–15 phút"). */
export const WaitRange = Type.Object({ low: Type.Integer({ minimum: 0 }), high: Type.Integer({ minimum: 0 }) });
export type WaitRange = Static<typeof WaitRange>;

const waitFields = {
  estimatedWaitMinutes: Nullable(
    Type.Integer({ description: 'minutes until the ticket is called (0 when not waiting); null when no counter that serves its service is open' }),
  ),
  estimatedWaitRange: Nullable(WaitRange),
  /** When the hall opens (HH:MM, hall time), if the hall set it: what the screens say when no counter serves the service. */
  hallOpensAt: Nullable(Type.String()),
};

export const TicketStatus = Type.Union([
  Type.Literal('waiting'),
  Type.Literal('called'),
  Type.Literal('serving'),
  Type.Literal('done'),
  Type.Literal('no_show'),
  Type.Literal('transferred'),
  Type.Literal('cancelled'),
  Type.Literal('not_served', { description: 'still waiting or called when the hall\'s day ended' }),
]);
export type TicketStatus = Static<typeof TicketStatus>;

export const Ticket = Type.Object({
  id: Id,
  number: Type.String({ description: 'the string printed and called, e.g. "A023" or "1023"' }),
  serviceId: Id,
  serviceName: Type.String(),
  status: TicketStatus,
  priority: Type.Boolean(),
  issuedAt: Type.String({ format: 'date-time' }),
  calledAt: Nullable(Type.String({ format: 'date-time' })),
  counterId: Nullable(Id),
  counterNumber: Nullable(Type.Integer()),
  ahead: Type.Integer({ description: 'people before this ticket in its queue (0 when not waiting)' }),
  ...waitFields,
  hallName: Type.String(),
  /** The number called last today for this ticket's service (what "đang phục vụ" shows on the follow page). */
  nowServing: Nullable(Type.String()),
});
export type Ticket = Static<typeof Ticket>;

export const IssueTicketBody = Type.Object(
  { serviceId: Id, priority: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type IssueTicketBody = Static<typeof IssueTicketBody>;

export const IssuedTicket = Type.Object({
  id: Id,
  number: Type.String(),
  serviceId: Id,
  serviceName: Type.String(),
  status: Type.Literal('waiting'),
  priority: Type.Boolean(),
  issuedAt: Type.String({ format: 'date-time' }),
  ahead: Type.Integer(),
  ...waitFields,
  /** The link the ticket's QR carries: the public follow page. */
  followUrl: Type.String(),
});
export type IssuedTicket = Static<typeof IssuedTicket>;

export const CallTicketBody = Type.Object({ ticketId: Id }, { additionalProperties: false });
export type CallTicketBody = Static<typeof CallTicketBody>;

export const NoShowBody = Type.Object(
  { requeue: Type.Optional(Type.Boolean({ description: 'put the ticket back at the end of its queue' })) },
  { additionalProperties: false },
);
export type NoShowBody = Static<typeof NoShowBody>;

export const TransferBody = Type.Object(
  { serviceId: Id, counterId: Type.Optional(Id) },
  { additionalProperties: false },
);
export type TransferBody = Static<typeof TransferBody>;

export const CounterActionReply = Type.Object({ ticket: Nullable(Ticket) });
export type CounterActionReply = Static<typeof CounterActionReply>;

/** One waiting ticket in a counter's queue view. */
export const WaitingTicket = Type.Object({
  id: Id,
  number: Type.String(),
  serviceId: Id,
  priority: Type.Boolean(),
  issuedAt: Type.String({ format: 'date-time' }),
  waitedMinutes: Type.Integer(),
  transferred: Type.Boolean(),
});
export type WaitingTicket = Static<typeof WaitingTicket>;

export const CounterQueue = Type.Object({ waiting: Type.Array(WaitingTicket), total: Type.Integer() });
export type CounterQueue = Static<typeof CounterQueue>;

/**
 * `Idempotency-Key` of `POST /tickets` and the counter actions: a UUID the client makes once per action and
 * sends again on every retry of it. Kept for the hall's day: the same key answers the same reply (no second
 * ticket or call); the key with another body, route or caller answers 409 `idempotency_key_reused`.
 */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', description: 'a UUID, one per action, the same on its retries' }),
  ),
});
export type IdempotencyHeaders = Static<typeof IdempotencyHeaders>;
