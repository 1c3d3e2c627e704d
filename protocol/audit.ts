/** The audit log: every state change made through the API, readable by managers. */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './common.js';

export const AuditQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditItem = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorType: Type.String({ description: 'user | device | integration | anonymous' }),
  actorId: Nullable(Type.Integer()),
  actorName: Nullable(Type.String()),
  action: Type.String({ description: 'HTTP method and route, e.g. "POST /api/v1/counters/:id/next"' }),
  target: Nullable(Type.String({ description: 'route parameters as JSON' })),
  status: Type.Integer(),
  ip: Nullable(Type.String()),
});
export type AuditItem = Static<typeof AuditItem>;
