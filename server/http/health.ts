import type { App } from '../context.js';
import { POOL_FULL, type Db } from '../db/pool.js';

/** The state of the hub's embedded PostgreSQL (its supervisor), when it runs one. */
export interface EmbeddedState {
  state(): 'up' | 'restarting' | 'stopped';
}

/** Why the database cannot serve now (within `timeoutMs`), or null when it answers. */
async function databaseProblem(db: Db, timeoutMs: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`database does not answer within ${timeoutMs} ms`), timeoutMs);
  });
  const probe = db.query('SELECT 1').then(
    () => null,
    (err: unknown) => ((err as { code?: string }).code === POOL_FULL ? 'database pool full: every connection is busy' : 'database does not answer'),
  );
  try {
    return await Promise.race([probe, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /health`: 200 while the database answers, 503 otherwise (for load balancers and process supervisors), with
 * `down` naming the part: `embedded-postgresql` while the hub restarts its embedded PostgreSQL, `database` when the
 * database does not answer within `timeoutMs` (a stalled database, a full pool).
 */
export function registerHealthCheck(app: App, db: Db, embedded?: EmbeddedState, timeoutMs = 800): void {
  app.get('/health', { schema: { hide: true } }, async (_req, reply) => {
    const state = embedded?.state();
    if (state && state !== 'up') {
      return reply.code(503).send({ status: 'unavailable', down: ['embedded-postgresql'], error: { code: 'unavailable', message: `embedded PostgreSQL is ${state === 'restarting' ? 'restarting' : 'stopped'} (Cơ sở dữ liệu đang khởi động lại)` } });
    }
    const problem = await databaseProblem(db, timeoutMs);
    if (!problem) return { status: 'ok' };
    return reply.code(503).send({ status: 'unavailable', down: ['database'], error: { code: 'unavailable', message: problem } });
  });
}
