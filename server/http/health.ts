import type { App } from '../context.js';
import type { Db } from '../db/pool.js';

/** `GET /health`: 200 while the database answers, 503 otherwise (for load balancers and process supervisors). */
export function registerHealthCheck(app: App, db: Db): void {
  app.get('/health', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await db.query('SELECT 1');
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'unavailable', error: { code: 'unavailable', message: 'database does not answer' } });
    }
  });
}
