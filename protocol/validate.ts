/** Runtime validation of inbound payloads (socket.io commands, agent messages) with the protocol's schemas. */
import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

export interface Validator<T extends TSchema> {
  /** Returns the payload typed, or throws an Error listing what is wrong. */
  parse(value: unknown): Static<T>;
  check(value: unknown): value is Static<T>;
}

export function validator<T extends TSchema>(schema: T): Validator<T> {
  const compiled = TypeCompiler.Compile(schema);
  return {
    check: (value): value is Static<T> => compiled.Check(value),
    parse(value) {
      if (compiled.Check(value)) return value;
      const first = compiled.Errors(value).First();
      throw new Error(first ? `${first.path || '(root)'}: ${first.message}` : 'invalid payload');
    },
  };
}
