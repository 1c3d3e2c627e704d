/**
 * Shared building blocks of the Hall Hub wire protocol (HTTP API v1 and socket.io).
 * Every schema here is a TypeBox schema: one definition gives the JSON Schema that
 * Fastify validates with, the OpenAPI document, and the TypeScript type.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Error body of every 4xx/5xx answer: `{ error: { code, message } }`. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'machine-readable code, e.g. not_found, forbidden, conflict' }),
      message: Type.String({ description: 'human-readable explanation' }),
    }),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** A positive integer row id. */
export const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });

/** Route params `{ id }` for numeric ids. */
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
export type IdParams = Static<typeof IdParams>;

/** An ISO-8601 timestamp string. */
export const Timestamp = Type.String({ format: 'date-time' });

/** Short human text: trimmed by the UI, bounded here. */
export const Name = (maxLength = 200) => Type.String({ minLength: 1, maxLength });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Standard error responses attached to every route schema. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
} as const;
