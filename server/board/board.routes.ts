import { Type } from '@sinclair/typebox';
import { BoardSnapshot, IdParams, SlaBody, errorResponses } from '../../protocol/index.js';
import { access } from '../auth/access.js';
import { type App } from '../context.js';
import { guard } from '../auth/auth.plugin.js';
import type { Access } from '../auth/principal.js';
import type { BoardService } from './board.service.js';

/** Managers and admins, or a display device showing the board on a wall screen. */
export const boardAccess = { roles: ['admin', 'manager'], devices: ['display'] } as const satisfies Access;

export async function boardRoutes(app: App, board: BoardService, changed: (hallId: number) => void) {
  app.get(
    '/board',
    { schema: { tags: ['board'], summary: "The managers' live board snapshot", response: { 200: BoardSnapshot, ...errorResponses } }, preHandler: guard(boardAccess) },
    async (req) => board.snapshot(req.principal!.hallId),
  );

  app.put(
    '/board/sla/:id',
    {
      schema: { tags: ['board'], summary: "A service's SLA target (longest acceptable wait)", params: IdParams, body: SlaBody, response: { 204: Type.Null(), ...errorResponses } },
      preHandler: guard(access.admin),
    },
    async (req, reply) => {
      const hallId = req.principal!.hallId;
      await board.setMaxWait(hallId, req.params.id, req.body.maxWaitMinutes === 0 ? null : req.body.maxWaitMinutes);
      changed(hallId);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/board/sla/:id',
    { schema: { tags: ['board'], summary: "Removes a service's SLA target", params: IdParams, response: { 204: Type.Null(), ...errorResponses } }, preHandler: guard(access.admin) },
    async (req, reply) => {
      const hallId = req.principal!.hallId;
      await board.setMaxWait(hallId, req.params.id, null);
      changed(hallId);
      return reply.code(204).send(null);
    },
  );
}
