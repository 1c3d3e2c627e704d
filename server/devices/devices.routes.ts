import { Type } from '@sinclair/typebox';
import { CreateDeviceBody, CreateDeviceReply, Device, IdParams, PatchDeviceBody, errorResponses } from '../../protocol/index.js';
import { access } from '../auth/access.js';
import { type App, type Hub } from '../context.js';
import { guard } from '../auth/auth.plugin.js';

export async function devicesRoutes(app: App, { hub }: { hub: Hub }) {
  app.post('/devices', { schema: { tags: ['devices'], body: CreateDeviceBody, response: { 201: CreateDeviceReply, ...errorResponses } }, preHandler: guard(access.admin) }, async (req, reply) =>
    reply.code(201).send(await hub.devices.create(req.principal!.hallId, req.body)),
  );
  app.get('/devices', { schema: { tags: ['devices'], response: { 200: Type.Array(Device), ...errorResponses } }, preHandler: guard(access.managers) }, async (req) =>
    hub.devices.list(req.principal!.hallId),
  );
  app.patch('/devices/:id', { schema: { tags: ['devices'], params: IdParams, body: PatchDeviceBody, response: { 204: Type.Null(), ...errorResponses } }, preHandler: guard(access.admin) }, async (req, reply) => {
    await hub.devices.update(req.principal!.hallId, req.params.id, req.body);
    return reply.code(204).send(null);
  });
  app.delete('/devices/:id', { schema: { tags: ['devices'], params: IdParams, response: { 204: Type.Null(), ...errorResponses } }, preHandler: guard(access.admin) }, async (req, reply) => {
    await hub.devices.revoke(req.principal!.hallId, req.params.id);
    return reply.code(204).send(null);
  });
}
