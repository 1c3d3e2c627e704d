/** Hall set-up: the hall, its departments, services and counters. */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Id, Name, Nullable, OptionalName } from './common.js';

export const Hall = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  timezone: Type.String(),
  day: Type.String({ description: "today's hall day, YYYY-MM-DD in the hall's time zone" }),
  /** What the citizen screens need of the hall's settings (see HallSettings). */
  screens: Type.Optional(
    Type.Object({
      openingTime: Nullable(Type.String()),
      unprintedTicketMinutes: Type.Integer(),
      displayLanguages: Type.Array(Type.Union([Type.Literal('vi'), Type.Literal('en')])),
    }),
  ),
});
export type Hall = Static<typeof Hall>;

/** One line of text: the name rule of common.ts. */
const TextLine = Name;
/** An optional line of text: empty or null removes it. */
const OptionalLine = (maxLength: number) => Type.Union([OptionalName(maxLength), Type.Null()]);

/**
 * The hall's own settings (`halls.settings`), each with its default filled in. Voice fields live in the same
 * column but are read and written through `GET/PUT /api/v1/voice/settings`.
 */
export const HallSettings = Type.Object({
  /** At most this many priority tickets in a row at one counter while normal tickets wait. */
  priorityInterleave: Type.Integer({ minimum: 1, maximum: 20, default: 2 }),
  /** A normal ticket that has waited this long goes before priority tickets. */
  priorityAgeingMinutes: Type.Integer({ minimum: 1, maximum: 480, default: 30 }),
  /** How many times a no-show may be put back in the queue. */
  maxRequeue: Type.Integer({ minimum: 0, maximum: 10, default: 1 }),
  /** The agency identifier that starts dossier codes, e.g. 000.00.12.H40; null: derived from the hall code. */
  agencyId: Type.Union([Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9]+(\\.[A-Za-z0-9]+)*$' }), Type.Null()], { default: null }),
  /** Dossiers received after this time (HH:MM, hall time) count from the next working day. */
  closingTime: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', default: '17:00' }),
  /** The live board raises an alert when a counter has been idle this long while people wait. */
  idleAlertMinutes: Type.Integer({ minimum: 1, maximum: 240, default: 2 }),
  /** A served ticket can be rated on the counter's tablet for this long after it was served. */
  ratingWindowMinutes: Type.Integer({ minimum: 1, maximum: 10080, default: 30 }),
  /** An offline tablet may still deliver a rating given in time for this many hours. */
  ratingOfflineGraceHours: Type.Integer({ minimum: 0, maximum: 168, default: 24 }),
  /** The last line printed on every queue ticket. */
  ticketFooter: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', default: 'Vui lòng giữ phiếu và chờ gọi số. Xin cảm ơn!' }),
  /** Fewest ratings a staff member, counter or department needs in a period to be ranked. */
  rankingMinRatings: Type.Integer({ minimum: 1, maximum: 1000, default: 5 }),
  /** When the hall opens (HH:MM, hall time), told to citizens when no counter serves their service; null: not set. */
  openingTime: Type.Union([Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }), Type.Null()], { default: null }),
  /** A ticket that could not be printed stays on the kiosk screen this long unless the citizen taps "Tôi đã ghi lại số". */
  unprintedTicketMinutes: Type.Integer({ minimum: 1, maximum: 120, default: 10 }),
  /** The languages a hall display shows, alternating when there are two. */
  displayLanguages: Type.Array(Type.Union([Type.Literal('vi'), Type.Literal('en')]), { minItems: 1, maxItems: 2, uniqueItems: true, default: ['vi'] }),
  /**
   * Tickets one kiosk may issue per minute, with a short burst allowed (0: no limit). Over it the kiosk gets 429
   * `kiosk_over_pace` and the board an alarm naming the kiosk.
   */
  kioskTicketsPerMinute: Type.Integer({ minimum: 0, maximum: 600, default: 20 }),
});
export type HallSettings = Static<typeof HallSettings>;

/** Each hall setting's default, as its schema declares it: the value a reader gets when the hall has none (or an invalid one). */
export const HALL_SETTING_DEFAULTS = Object.fromEntries(
  Object.entries(HallSettings.properties).map(([key, schema]) => [key, (schema as { default: unknown }).default]),
) as HallSettings;

/** A setting's schema for a change: the same rules without the default (a change names only what it sets). */
const changeOf = <T extends TSchema>(schema: T): T => {
  const { default: _default, ...rule } = schema;
  return rule as T;
};

/** `GET /api/v1/hall/settings` (managers) and the reply of `PATCH /api/v1/hall`: the hall with its settings. */
export const HallWithSettings = Type.Composite([Hall, Type.Object({ settings: HallSettings })]);
export type HallWithSettings = Static<typeof HallWithSettings>;

/** The names of the hall settings, e.g. for `reset`. */
export const HallSettingKey = Type.Union(Object.keys(HallSettings.properties).map((k) => Type.Literal(k as keyof typeof HallSettings.properties)));
export type HallSettingKey = Static<typeof HallSettingKey>;

/**
 * `PATCH /api/v1/hall` (admin): the hall's name, the settings to change, and the settings to `reset` to their
 * defaults. Settings not named keep their values; voice settings are never touched here.
 */
export const UpdateHallBody = Type.Object(
  {
    name: Type.Optional(TextLine(200)),
    settings: Type.Optional(
      Type.Object(
        {
          priorityInterleave: Type.Optional(changeOf(HallSettings.properties.priorityInterleave)),
          priorityAgeingMinutes: Type.Optional(changeOf(HallSettings.properties.priorityAgeingMinutes)),
          maxRequeue: Type.Optional(changeOf(HallSettings.properties.maxRequeue)),
          agencyId: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9]+(\\.[A-Za-z0-9]+)*$' })),
          closingTime: Type.Optional(changeOf(HallSettings.properties.closingTime)),
          idleAlertMinutes: Type.Optional(changeOf(HallSettings.properties.idleAlertMinutes)),
          ratingWindowMinutes: Type.Optional(changeOf(HallSettings.properties.ratingWindowMinutes)),
          ratingOfflineGraceHours: Type.Optional(changeOf(HallSettings.properties.ratingOfflineGraceHours)),
          ticketFooter: Type.Optional(TextLine(200)),
          rankingMinRatings: Type.Optional(changeOf(HallSettings.properties.rankingMinRatings)),
          openingTime: Type.Optional(Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' })),
          unprintedTicketMinutes: Type.Optional(changeOf(HallSettings.properties.unprintedTicketMinutes)),
          displayLanguages: Type.Optional(changeOf(HallSettings.properties.displayLanguages)),
          kioskTicketsPerMinute: Type.Optional(changeOf(HallSettings.properties.kioskTicketsPerMinute)),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
    ),
    /** Settings to put back to their defaults (a setting may not be both set and reset). */
    reset: Type.Optional(Type.Array(HallSettingKey, { minItems: 1, maxItems: 20, uniqueItems: true })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateHallBody = Static<typeof UpdateHallBody>;

export const Department = Type.Object({ id: Id, name: Type.String(), nameEn: Nullable(Type.String()) });
export type Department = Static<typeof Department>;

export const CreateDepartmentBody = Type.Object(
  { name: Name(200), nameEn: Type.Optional(OptionalName(200)) },
  { additionalProperties: false },
);
export type CreateDepartmentBody = Static<typeof CreateDepartmentBody>;

/** `PATCH /api/v1/departments/:id` (admin): the fields to change; an empty or null `nameEn` removes the English name. */
export const UpdateDepartmentBody = Type.Object(
  { name: Type.Optional(TextLine(200)), nameEn: Type.Optional(OptionalLine(200)) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateDepartmentBody = Static<typeof UpdateDepartmentBody>;

export const Service = Type.Object({
  id: Id,
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  prefix: Type.String({ description: 'ticket prefix, e.g. "A" gives A001; empty when the service uses a number range' }),
  numberStart: Type.Integer(),
  numberEnd: Type.Integer(),
  departmentId: Nullable(Id),
  active: Type.Boolean(),
  /** Expected minutes per citizen, used for wait estimates until the service has history. */
  defaultServiceMinutes: Type.Integer(),
  waiting: Type.Optional(Type.Integer({ description: 'tickets waiting now' })),
});
export type Service = Static<typeof Service>;

export const CreateServiceBody = Type.Object(
  {
    name: Name(200),
    nameEn: Type.Optional(OptionalName(200)),
    prefix: Type.String({ maxLength: 3, pattern: '^[A-Z]{0,3}$' }),
    numberStart: Type.Optional(Type.Integer({ minimum: 0, maximum: 99999 })),
    numberEnd: Type.Optional(Type.Integer({ minimum: 1, maximum: 99999 })),
    departmentId: Type.Optional(Id),
    active: Type.Optional(Type.Boolean()),
    defaultServiceMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 240 })),
  },
  { additionalProperties: false },
);
export type CreateServiceBody = Static<typeof CreateServiceBody>;

/**
 * `PATCH /api/v1/services/:id` (admin): the fields to change. A new prefix or number range applies to the
 * numbers issued after the change (today's sequence carries on); `departmentId` null and an empty or null `nameEn`
 * remove them.
 */
export const UpdateServiceBody = Type.Object(
  {
    active: Type.Optional(Type.Boolean()),
    name: Type.Optional(TextLine(200)),
    nameEn: Type.Optional(OptionalLine(200)),
    prefix: Type.Optional(Type.String({ maxLength: 3, pattern: '^[A-Z]{0,3}$' })),
    numberStart: Type.Optional(Type.Integer({ minimum: 0, maximum: 99999 })),
    numberEnd: Type.Optional(Type.Integer({ minimum: 1, maximum: 99999 })),
    departmentId: Type.Optional(Nullable(Id)),
    defaultServiceMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 240 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateServiceBody = Static<typeof UpdateServiceBody>;

export const CounterStatus = Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('paused')]);
export type CounterStatus = Static<typeof CounterStatus>;

export const Counter = Type.Object({
  id: Id,
  number: Type.Integer(),
  name: Type.String(),
  serviceIds: Type.Array(Id),
  status: CounterStatus,
  staff: Nullable(Type.Object({ id: Id, name: Type.String(), title: Nullable(Type.String()) })),
  currentTicket: Nullable(
    Type.Object({ id: Id, number: Type.String(), status: Type.String(), serviceId: Id, calledAt: Nullable(Type.String()) }),
  ),
});
export type Counter = Static<typeof Counter>;

export const CreateCounterBody = Type.Object(
  {
    number: Type.Integer({ minimum: 1, maximum: 9999 }),
    name: Name(120),
    serviceIds: Type.Array(Id, { minItems: 1, maxItems: 200, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type CreateCounterBody = Static<typeof CreateCounterBody>;

/**
 * `PATCH /api/v1/counters/:id` (admin): the fields to change, also while the counter is open (its next call
 * uses the new services). A number another counter has → 409 `counter_number_taken`.
 */
export const UpdateCounterBody = Type.Object(
  {
    number: Type.Optional(CreateCounterBody.properties.number),
    name: Type.Optional(TextLine(120)),
    serviceIds: Type.Optional(CreateCounterBody.properties.serviceIds),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateCounterBody = Static<typeof UpdateCounterBody>;
