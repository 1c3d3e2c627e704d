import { AsyncLocalStorage } from 'node:async_hooks';
import type { Tx } from './pool.js';

/**
 * What the transaction helper knows about the HTTP request it runs for. Every route handler runs inside one
 * (server/requests/requests.plugin.ts), so services never pass it along by hand; background work has none.
 */
export interface RequestScope {
  /** Aborted when the client has gone (its connection closed before the reply was sent). */
  signal: AbortSignal;
  /** Epoch ms after which no transaction of this request may commit (set below the client's own timeout). */
  deadline: number;
  /**
   * Runs inside the request's first transaction, just before COMMIT (the `Idempotency-Key` is recorded there,
   * so the change and its key commit together or not at all); cleared once used.
   */
  beforeCommit?: ((tx: Tx) => Promise<void>) | undefined;
  /** The row the change produced (a ticket id), noted by the service for a replay whose reply was lost. */
  result: number | null;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

/** The scope of the request this code runs for, if any. */
export const currentScope = (): RequestScope | undefined => requestScope.getStore();

/** Notes the row a change produced (called inside the transaction, before it commits). */
export function noteResult(ref: number | null): void {
  const scope = requestScope.getStore();
  if (scope) scope.result = ref;
}
