import { Type } from '@sinclair/typebox';
import { AuditItem, AuditQuery, errorResponses } from '../../protocol/index.js';
import { access } from '../auth/access.js';
import { guard } from '../auth/auth.plugin.js';
import type { App, Hub } from '../context.js';
import { listAudit } from './audit.repo.js';

/** `GET /api/v1/audit`: the hall's audit log, newest first (managers). */
export async function auditRoutes(app: App, hub: Hub): Promise<void> {
  app.get('/audit', { schema: { tags: ['admin'], querystring: AuditQuery, response: { 200: Type.Array(AuditItem), ...errorResponses } }, preHandler: guard(access.managers) }, async (req) => {
    const rows = await listAudit(hub.db, req.principal!.hallId, {
      from: req.query.from ? new Date(req.query.from) : null,
      to: req.query.to ? new Date(req.query.to) : null,
      beforeId: req.query.beforeId ?? null,
      limit: req.query.limit ?? 100,
    });
    return rows.map((r) => ({ id: r.id, at: r.at.toISOString(), actorType: r.actor_type, actorId: r.actor_id, actorName: r.actor_name, action: r.action, target: r.target, status: r.status, ip: r.ip }));
  });
}
