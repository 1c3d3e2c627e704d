import pg from 'pg';
import { HubError } from '../errors.js';
import { currentScope } from './request-scope.js';

export type Db = pg.Pool;
export type Tx = pg.PoolClient;
/** Anything that can run a query: the pool or a transaction's client. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

// int8 (bigserial ids, counts) as JS numbers: our ids stay far below 2^53; dates stay strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number.parseFloat(v));
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

/** How long the hub waits on its database; every request ends well before a kiosk (15 s) gives up. */
export interface DbLimits {
  /** PostgreSQL's `statement_timeout`, ms; the client side gives up 1 s later (a stalled server never answers). */
  statementTimeoutMs: number;
  /** Getting a connection: opening a new one, or waiting for one of a full pool to be free, ms. */
  connectTimeoutMs: number;
  /** Requests allowed to wait for a full pool; the next ones are refused at once (503 `busy`). */
  poolQueueMax: number;
}

export const defaultDbLimits: DbLimits = { statementTimeoutMs: 8000, connectTimeoutMs: 1500, poolQueueMax: 30 };

/** Error codes of a pool that cannot give a connection now (mapped to 503 by the app). */
export const POOL_FULL = 'HUB_POOL_FULL';

class HubPool extends pg.Pool {
  constructor(
    config: pg.PoolConfig,
    private readonly limits: DbLimits,
  ) {
    super(config);
  }

  private full(): boolean {
    return this.totalCount >= (this.options.max ?? 10) && this.idleCount === 0 && this.waitingCount >= this.limits.poolQueueMax;
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): Promise<pg.PoolClient> | void {
    if (this.full()) {
      const err = Object.assign(new Error('every database connection is busy'), { code: POOL_FULL });
      if (callback) {
        process.nextTick(() => callback(err, undefined, () => undefined));
        return;
      }
      return Promise.reject(err);
    }
    return callback ? super.connect(callback) : super.connect();
  }
}

export function createPool(connectionString: string, max = 20, limits: Partial<DbLimits> = {}): Db {
  const l = { ...defaultDbLimits, ...limits };
  const pool = new HubPool(
    {
      connectionString,
      max,
      connectionTimeoutMillis: l.connectTimeoutMs,
      idleTimeoutMillis: 30000,
      statement_timeout: l.statementTimeoutMs,
      query_timeout: l.statementTimeoutMs + 1000,
      idle_in_transaction_session_timeout: l.statementTimeoutMs * 2,
    },
    l,
  );
  // A connection error (database restarted) must not crash the hub: idle clients are replaced by the pool,
  // and a checked-out client (a transaction in flight, the socket.io adapter's LISTEN) fails its query or ends.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** The client gave up before the commit: the transaction is rolled back (nobody will read the reply). */
export class ClientGone extends Error {
  readonly code = 'HUB_CLIENT_GONE';
  constructor() {
    super('the client closed its connection before the change committed');
  }
}

const deadlinePassed = () => new HubError(503, 'deadline_exceeded', 'Hệ thống đang quá tải, thao tác chưa được ghi nhận: hãy thử lại / the hub is too slow now, nothing was changed: retry');

/** A client whose last query timed out or lost its connection: it goes, it is not given back to the pool. */
function broken(err: unknown): boolean {
  const e = err as { message?: string; code?: string } | null;
  return !!e && (/timeout|terminat|Connection/i.test(e.message ?? '') || e.code === '57014' || e.code === 'ECONNRESET');
}

/**
 * Runs `work` in one transaction: commits on success, rolls back on any error and rethrows.
 * Inside an HTTP request it never commits for a client that has gone or after the request's deadline,
 * and the request's first transaction runs its `beforeCommit` step (the idempotency key) just before COMMIT.
 */
export async function transaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const scope = currentScope();
  if (scope?.signal.aborted) throw new ClientGone();
  const tx = await db.connect();
  let failure: unknown = null;
  try {
    await tx.query('BEGIN');
    const result = await work(tx);
    if (scope) {
      const step = scope.beforeCommit;
      if (step) await step(tx);
      if (scope.signal.aborted) throw new ClientGone();
      if (Date.now() > scope.deadline) throw deadlinePassed();
      await tx.query('COMMIT');
      if (scope.beforeCommit === step) scope.beforeCommit = undefined;
      return result;
    }
    await tx.query('COMMIT');
    return result;
  } catch (err) {
    failure = err;
    if (!broken(err)) await tx.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    tx.release(failure && broken(failure) ? (failure as Error) : undefined);
  }
}
