/** The managers' live board (bảng điều hành) and the reports per service, counter and staff member. */
import { Type, type Static } from '@sinclair/typebox';
import { Id, Nullable } from './common.js';
import { CounterStatus } from './setup.js';
import { DeviceKind } from './devices.js';
import { LevelCounts, PeriodQuery } from './ratings.js';

const Seconds = (description: string) => Nullable(Type.Number({ description: `${description}, seconds` }));

export const ServiceOnBoard = Type.Object({
  id: Id,
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  prefix: Type.String(),
  active: Type.Boolean(),
  waiting: Type.Integer(),
  /** Issue time of the ticket waiting longest, so screens can tick the longest wait themselves. */
  oldestWaitingSince: Nullable(Type.String({ format: 'date-time' })),
  longestWaitSeconds: Seconds('how long the ticket waiting longest has waited, at `at`'),
  avgWaitSeconds: Seconds('mean of issue → first call of the tickets called today'),
  medianWaitSeconds: Seconds('median wait today'),
  p90WaitSeconds: Seconds('90th percentile wait today'),
  avgServiceSeconds: Seconds('mean service time of the tickets served today'),
  issued: Type.Integer(),
  served: Type.Integer(),
  noShow: Type.Integer(),
  openCounters: Type.Integer({ description: 'open (not paused) counters that serve it' }),
  maxWaitMinutes: Nullable(Type.Integer({ description: 'SLA target' })),
  breached: Type.Boolean({ description: 'someone has waited longer than the SLA target' }),
});
export type ServiceOnBoard = Static<typeof ServiceOnBoard>;

export const CounterOnBoard = Type.Object({
  id: Id,
  number: Type.Integer(),
  name: Type.String(),
  status: CounterStatus,
  serviceIds: Type.Array(Id),
  staff: Nullable(Type.Object({ id: Id, name: Type.String(), title: Nullable(Type.String()) })),
  currentTicket: Nullable(
    Type.Object({
      id: Id,
      number: Type.String(),
      status: Type.String(),
      serviceId: Id,
      calledAt: Nullable(Type.String({ format: 'date-time' })),
      servingAt: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
  /** How long the current ticket has been at the counter (since called), at `at`. */
  currentSeconds: Seconds('time at the counter of the current ticket'),
  served: Type.Integer({ description: 'tickets served here today' }),
  /** Open with nothing in progress since then (last finish or opening). */
  idleSince: Nullable(Type.String({ format: 'date-time' })),
  /** Tickets waiting for the services this counter serves. */
  waitingForIt: Type.Integer(),
});
export type CounterOnBoard = Static<typeof CounterOnBoard>;

export const DeviceOnBoard = Type.Object({
  id: Id,
  kind: DeviceKind,
  name: Type.String(),
  counterId: Nullable(Id),
  online: Type.Boolean(),
  lastSeenAt: Nullable(Type.String({ format: 'date-time' })),
  faults: Type.Array(Type.Object({ code: Type.String(), message: Type.String(), since: Type.String() })),
});
export type DeviceOnBoard = Static<typeof DeviceOnBoard>;

export const BoardAlertKind = Type.Union([
  Type.Literal('sla_breach'),
  Type.Literal('idle_counter'),
  Type.Literal('no_open_counter'),
  Type.Literal('device_offline'),
  Type.Literal('device_fault'),
]);
export type BoardAlertKind = Static<typeof BoardAlertKind>;

export const BoardAlert = Type.Object({
  kind: BoardAlertKind,
  severity: Type.Union([Type.Literal('critical'), Type.Literal('warning')]),
  serviceId: Nullable(Id),
  counterId: Nullable(Id),
  deviceId: Nullable(Id),
  message: Type.String({ description: 'Vietnamese' }),
  messageEn: Type.String(),
  since: Nullable(Type.String({ format: 'date-time' })),
});
export type BoardAlert = Static<typeof BoardAlert>;

export const Satisfaction = Type.Object({
  ratings: Type.Integer(),
  mean: Nullable(Type.Number()),
  satisfiedShare: Nullable(Type.Number({ description: 'hài lòng + rất hài lòng, 0–1' })),
  ratedShare: Nullable(Type.Number({ description: 'ratings / tickets served, 0–1' })),
  levels: LevelCounts,
});
export type Satisfaction = Static<typeof Satisfaction>;

/** Waits across the day: one bucket per `bucketMinutes` from the first issue of the day to now. */
export const WaitChart = Type.Object({
  bucketMinutes: Type.Integer(),
  /** Bucket start instants (epoch seconds, the x axis). */
  t: Type.Array(Type.Number()),
  /** Mean wait (minutes) of the tickets called in the bucket; null when none. */
  avgWaitMinutes: Type.Array(Nullable(Type.Number())),
  /** Longest wait (minutes) of the tickets called in the bucket. */
  maxWaitMinutes: Type.Array(Nullable(Type.Number())),
  /** Tickets waiting at the end of the bucket. */
  waiting: Type.Array(Type.Integer()),
});
export type WaitChart = Static<typeof WaitChart>;

export const BoardSnapshot = Type.Object({
  hall: Type.Object({ id: Id, name: Type.String(), day: Type.String() }),
  at: Type.String({ format: 'date-time' }),
  totals: Type.Object({
    issued: Type.Integer(),
    served: Type.Integer(),
    noShow: Type.Integer(),
    waiting: Type.Integer(),
    inProgress: Type.Integer(),
    longestWaitSeconds: Seconds('longest current wait'),
    avgWaitSeconds: Seconds('mean wait today'),
    medianWaitSeconds: Seconds('median wait today'),
    p90WaitSeconds: Seconds('90th percentile wait today'),
    avgServiceSeconds: Seconds('mean service time today'),
  }),
  services: Type.Array(ServiceOnBoard),
  counters: Type.Array(CounterOnBoard),
  devices: Type.Array(DeviceOnBoard),
  satisfaction: Satisfaction,
  alerts: Type.Array(BoardAlert),
  chart: WaitChart,
});
export type BoardSnapshot = Static<typeof BoardSnapshot>;

/** `PUT /api/v1/board/sla/:id` (admin): a service's SLA target in minutes; 0 removes it, as `DELETE /api/v1/board/sla/:id` does. */
export const SlaBody = Type.Object(
  { maxWaitMinutes: Type.Integer({ minimum: 0, maximum: 1440, description: 'longest acceptable wait in minutes; 0 removes the target' }) },
  { additionalProperties: false },
);
export type SlaBody = Static<typeof SlaBody>;

/** The board's socket room for display devices that subscribed (managers get updates in their own room). */
export const boardRoom = (hallId: number) => `hall:${hallId}:board`;

// ---- reports ----

export const ReportBy = Type.Union([Type.Literal('service'), Type.Literal('counter'), Type.Literal('staff')]);
export type ReportBy = Static<typeof ReportBy>;

export const ReportsQuery = Type.Object({ by: Type.Optional(ReportBy), ...PeriodQuery }, { additionalProperties: false });
export type ReportsQuery = Static<typeof ReportsQuery>;

export const ReportFigures = Type.Object({
  issued: Nullable(Type.Integer({ description: 'tickets issued for the service (by=service; null otherwise)' })),
  called: Type.Integer({ description: 'tickets called (by the counter/staff member, or of the service)' }),
  served: Type.Integer(),
  noShow: Type.Integer(),
  notServed: Type.Integer({ description: "tickets still waiting or called when the hall's day ended" }),
  transferred: Type.Integer(),
  waitAvgSeconds: Seconds('mean wait'),
  waitMedianSeconds: Seconds('median wait'),
  waitP90Seconds: Seconds('90th percentile wait'),
  serviceAvgSeconds: Seconds('mean service time'),
  serviceMedianSeconds: Seconds('median service time'),
  serviceP90Seconds: Seconds('90th percentile service time'),
  ratings: Type.Integer(),
  satisfactionMean: Nullable(Type.Number()),
  satisfiedShare: Nullable(Type.Number()),
  levels: LevelCounts,
});
export type ReportFigures = Static<typeof ReportFigures>;

export const ReportRow = Type.Composite([Type.Object({ id: Id, name: Type.String() }), ReportFigures]);
export type ReportRow = Static<typeof ReportRow>;

export const Report = Type.Object({
  by: ReportBy,
  from: Type.String(),
  to: Type.String(),
  items: Type.Array(ReportRow),
  total: ReportFigures,
  at: Type.String({ format: 'date-time' }),
});
export type Report = Static<typeof Report>;
