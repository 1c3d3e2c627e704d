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

/**
 * Characters no name may hold: C0 and C1 control characters (ESC, GS, CR, LF… would reach printers and LED
 * displays as commands), DEL, and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069) that reorder what a screen or a printed ticket shows.
 */
const NOT_IN_NAME = '\\x00-\\x1F\\x7F-\\x9F\\u202A-\\u202E\\u2066-\\u2069';

/** The one rule for a name (service, counter, department, user, device, hall) on create and on edit: one line, at least one visible character. */
export const Name = (maxLength = 200) => Type.String({ minLength: 1, maxLength, pattern: `^[^${NOT_IN_NAME}]*[^${NOT_IN_NAME}\\s][^${NOT_IN_NAME}]*$` });

/** An optional second name or title: the same characters as a name, possibly empty. */
export const OptionalName = (maxLength = 200) => Type.String({ maxLength, pattern: `^[^${NOT_IN_NAME}]*$` });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Standard error responses attached to every route schema. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
} as const;
