/** Auth and users: staff log in with a password and get a bearer token. */
import { Type, type Static } from '@sinclair/typebox';
import { Id, Name } from './common.js';

export const Role = Type.Union([Type.Literal('admin'), Type.Literal('manager'), Type.Literal('staff')]);
export type Role = Static<typeof Role>;

export const User = Type.Object({
  id: Id,
  username: Type.String(),
  name: Type.String(),
  role: Role,
  title: Type.Optional(Type.String()),
});
export type User = Static<typeof User>;

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
    title: Type.Optional(Type.String({ maxLength: 120 })),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

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
