/** Auth and users: staff log in with a password and get a bearer token. */
import { Type, type Static } from '@sinclair/typebox';
import { Id, Name, OptionalName } from './common.js';

export const Role = Type.Union([Type.Literal('admin'), Type.Literal('manager'), Type.Literal('staff')]);
export type Role = Static<typeof Role>;

export const User = Type.Object({
  id: Id,
  username: Type.String(),
  name: Type.String(),
  role: Role,
  title: Type.Optional(Type.String()),
  /** false: the account is disabled (cannot sign in; its sessions were ended). */
  active: Type.Boolean(),
  /** In the staff list: true while some address is refused for this account after too many wrong passwords. */
  loginLocked: Type.Optional(Type.Boolean()),
});
export type User = Static<typeof User>;

/** `DELETE /api/v1/users/:id/lock` (admin): the account's failed logins are forgotten, every address may try again. */
export const ClearLoginLockReply = Type.Object({ cleared: Type.Integer({ minimum: 0, description: 'failed logins forgotten' }) });
export type ClearLoginLockReply = Static<typeof ClearLoginLockReply>;

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const LoginReply = Type.Object({
  token: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  user: Type.Object({ id: Id, name: Type.String(), role: Role }),
});
export type LoginReply = Static<typeof LoginReply>;

export const CreateUserBody = Type.Object(
  {
    username: Type.String({ minLength: 2, maxLength: 64, pattern: '^[a-zA-Z0-9._-]+$' }),
    password: Type.String({ minLength: 8, maxLength: 256 }),
    name: Name(120),
    role: Role,
    title: Type.Optional(OptionalName(120)),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

/**
 * `PATCH /api/v1/users/:id` (admin): the fields to change (the username never changes).
 * - `active: false` disables the account and ends all its sessions; refused (409) for your own account
 *   (`own_account`), for the hall's last active admin (`last_admin`) and while the user has a counter open
 *   (`counter_open`: the counter must be closed first, so no citizen is left at an abandoned counter).
 * - `role` other than admin for the last active admin → 409 `last_admin`.
 * - `password` sets a new password and ends the user's other sessions.
 * - an empty or null `title` removes the job title.
 */
export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(Name(120)),
    title: Type.Optional(Type.Union([OptionalName(120), Type.Null()])),
    role: Type.Optional(Role),
    active: Type.Optional(Type.Boolean()),
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 256 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

/** Who is asking, as the hub sees it (`GET /api/v1/auth/me`). */
export const Principal = Type.Union([
  Type.Object({ type: Type.Literal('user'), hallId: Id, user: User }),
  Type.Object({
    type: Type.Literal('device'),
    hallId: Id,
    device: Type.Object({ id: Id, kind: Type.String(), name: Type.String(), counterId: Type.Union([Id, Type.Null()]) }),
  }),
]);
export type Principal = Static<typeof Principal>;
