import { Type } from '@sinclair/typebox';
import {
  Counter,
  CreateCounterBody,
  CreateDepartmentBody,
  CreateServiceBody,
  Department,
  Hall,
  HallWithSettings,
  IdParams,
  Service,
  UpdateCounterBody,
  UpdateDepartmentBody,
  UpdateHallBody,
  UpdateServiceBody,
  errorResponses,
} from '../../protocol/index.js';
import { access } from '../auth/access.js';
import { type App, type Hub } from '../context.js';
import { guard } from '../auth/auth.plugin.js';

export async function setupRoutes(app: App, { hub }: { hub: Hub }) {
  const read = guard(access.readSetup);
  const admin = guard(access.admin);
  const managers = guard(access.managers);

  app.get('/hall', { schema: { tags: ['setup'], response: { 200: Hall, ...errorResponses } }, preHandler: read }, async (req) => hub.setup.hall(req.principal!.hallId));
  app.get('/hall/settings', { schema: { tags: ['setup'], response: { 200: HallWithSettings, ...errorResponses } }, preHandler: managers }, async (req) =>
    hub.setup.hallWithSettings(req.principal!.hallId),
  );
  app.patch('/hall', { schema: { tags: ['setup'], body: UpdateHallBody, response: { 200: HallWithSettings, ...errorResponses } }, preHandler: admin }, async (req) =>
    hub.setup.updateHall(req.principal!.hallId, req.body),
  );

  app.get('/departments', { schema: { tags: ['setup'], response: { 200: Type.Array(Department), ...errorResponses } }, preHandler: read }, async (req) =>
    hub.setup.departments(req.principal!.hallId),
  );
  app.post('/departments', { schema: { tags: ['setup'], body: CreateDepartmentBody, response: { 201: Department, ...errorResponses } }, preHandler: admin }, async (req, reply) =>
    reply.code(201).send(await hub.setup.createDepartment(req.principal!.hallId, req.body)),
  );
  app.patch('/departments/:id', { schema: { tags: ['setup'], params: IdParams, body: UpdateDepartmentBody, response: { 200: Department, ...errorResponses } }, preHandler: admin }, async (req) =>
    hub.setup.updateDepartment(req.principal!.hallId, req.params.id, req.body),
  );

  app.get('/services', { schema: { tags: ['setup'], response: { 200: Type.Array(Service), ...errorResponses } }, preHandler: read }, async (req) =>
    hub.setup.services(req.principal!.hallId),
  );
  app.post('/services', { schema: { tags: ['setup'], body: CreateServiceBody, response: { 201: Service, ...errorResponses } }, preHandler: admin }, async (req, reply) =>
    reply.code(201).send(await hub.setup.createService(req.principal!.hallId, req.body)),
  );
  app.patch('/services/:id', { schema: { tags: ['setup'], params: IdParams, body: UpdateServiceBody, response: { 200: Service, ...errorResponses } }, preHandler: admin }, async (req) =>
    hub.setup.updateService(req.principal!.hallId, req.params.id, req.body),
  );

  app.get('/counters', { schema: { tags: ['setup'], response: { 200: Type.Array(Counter), ...errorResponses } }, preHandler: read }, async (req) =>
    hub.queue.listCounters(req.principal!.hallId),
  );
  app.post('/counters', { schema: { tags: ['setup'], body: CreateCounterBody, response: { 201: Counter, ...errorResponses } }, preHandler: admin }, async (req, reply) => {
    const hallId = req.principal!.hallId;
    const id = await hub.setup.createCounter(hallId, req.body);
    return reply.code(201).send(await hub.queue.counterView(hub.db, hallId, id));
  });
  app.patch('/counters/:id', { schema: { tags: ['setup'], params: IdParams, body: UpdateCounterBody, response: { 200: Counter, ...errorResponses } }, preHandler: admin }, async (req) =>
    hub.setup.updateCounter(req.principal!.hallId, req.params.id, req.body),
  );
}
