/** Hall set-up: the hall, its departments, services and counters. */
import { Type, type Static } from '@sinclair/typebox';
import { Id, Name, Nullable } from './common.js';

export const Hall = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  timezone: Type.String(),
  day: Type.String({ description: "today's hall day, YYYY-MM-DD in the hall's time zone" }),
});
export type Hall = Static<typeof Hall>;

export const Department = Type.Object({ id: Id, name: Type.String(), nameEn: Nullable(Type.String()) });
export type Department = Static<typeof Department>;

export const CreateDepartmentBody = Type.Object(
  { name: Name(200), nameEn: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
export type CreateDepartmentBody = Static<typeof CreateDepartmentBody>;

export const Service = Type.Object({
  id: Id,
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  prefix: Type.String({ description: 'ticket prefix, e.g. "A" gives A001; empty when the service uses a number range' }),
  numberStart: Type.Integer(),
  numberEnd: Type.Integer(),
  departmentId: Nullable(Id),
  active: Type.Boolean(),
  waiting: Type.Optional(Type.Integer({ description: 'tickets waiting now' })),
});
export type Service = Static<typeof Service>;

export const CreateServiceBody = Type.Object(
  {
    name: Name(200),
    nameEn: Type.Optional(Type.String({ maxLength: 200 })),
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

export const UpdateServiceBody = Type.Object(
  { active: Type.Optional(Type.Boolean()), name: Type.Optional(Name(200)) },
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
