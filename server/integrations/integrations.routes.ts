import { Type } from '@sinclair/typebox';
import { CreatedIntegration, CreateIntegrationBody, IdParams, Integration, errorResponses } from '../../protocol/index.js';
import { access } from '../auth/access.js';
import type { App } from '../context.js';
import { guard } from '../auth/auth.plugin.js';
import type { IntegrationsService } from './integrations.service.js';

/** Outside systems' API keys (admins): create, list, revoke. */
export async function integrationsRoutes(app: App, integrations: IntegrationsService): Promise<void> {
  const admin = guard(access.admin);
  app.post(
    '/integrations',
    { schema: { tags: ['integrations'], body: CreateIntegrationBody, response: { 201: CreatedIntegration, ...errorResponses } }, preHandler: admin },
    async (req, reply) => reply.code(201).send(await integrations.create(req.principal!.hallId, req.body)),
  );
  app.get('/integrations', { schema: { tags: ['integrations'], response: { 200: Type.Array(Integration), ...errorResponses } }, preHandler: admin }, async (req) =>
    integrations.list(req.principal!.hallId),
  );
  app.delete(
    '/integrations/:id',
    { schema: { tags: ['integrations'], params: IdParams, response: { 204: Type.Null(), ...errorResponses } }, preHandler: admin },
    async (req, reply) => {
      await integrations.revoke(req.principal!.hallId, req.params.id);
      return reply.code(204).send(null);
    },
  );

}
