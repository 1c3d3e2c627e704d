import type { App } from '../context.js';
import type { Db } from '../db/pool.js';

/** The state of the hub's embedded PostgreSQL (its supervisor), when it runs one. */
export interface EmbeddedState {
  state(): 'up' | 'restarting' | 'stopped';
}

/**
 * `GET /health`: 200 while the database answers, 503 otherwise (for load balancers and process supervisors), with
 * `down` naming the part: `embedded-postgresql` while the hub restarts its embedded PostgreSQL, `database` when the
 * database does not answer.
 */
export function registerHealthCheck(app: App, db: Db, embedded?: EmbeddedState): void {
  app.get('/health', { schema: { hide: true } }, async (_req, reply) => {
    const state = embedded?.state();
    if (state && state !== 'up') {
      return reply.code(503).send({ status: 'unavailable', down: ['embedded-postgresql'], error: { code: 'unavailable', message: `embedded PostgreSQL is ${state === 'restarting' ? 'restarting' : 'stopped'} (Cơ sở dữ liệu đang khởi động lại)` } });
    }
    try {
      await db.query('SELECT 1');
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'unavailable', down: ['database'], error: { code: 'unavailable', message: 'database does not answer' } });
    }
  });
}
