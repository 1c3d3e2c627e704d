import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import {
  CallTicketBody,
  Counter,
  CounterActionReply,
  CounterQueue,
  IdParams,
  IdempotencyHeaders,
  IssuedTicket,
  IssueTicketBody,
  NoShowBody,
  Ticket,
  TransferBody,
  errorResponses,
} from '../../protocol/index.js';
import { access } from '../auth/access.js';
import { type App, type Hub } from '../context.js';
import { deviceOf, guard, userOf } from '../auth/auth.plugin.js';
import type { RebuildReply } from '../requests/requests.plugin.js';
import { followUrlOf } from './queue.service.js';

/** A replayed key whose reply was lost: the ticket it produced, as it is now. */
const rebuildIssued: RebuildReply = async (hub, req, ref) => {
  if (ref === null) return { status: 204, body: null };
  const t = await hub.queue.getTicket(req.principal!.hallId, ref);
  const body: IssuedTicket = {
    id: t.id,
    number: t.number,
    serviceId: t.serviceId,
    serviceName: t.serviceName,
    status: 'waiting',
    priority: t.priority,
    issuedAt: t.issuedAt,
    ahead: t.ahead,
    estimatedWaitMinutes: t.estimatedWaitMinutes,
    estimatedWaitRange: t.estimatedWaitRange,
    hallOpensAt: t.hallOpensAt,
    followUrl: followUrlOf(hub.config.publicUrl, t.id),
  };
  return { status: 201, body };
};
const rebuildTicket: RebuildReply = async (hub, req, ref) =>
  ref === null ? { status: 204, body: null } : { status: 200, body: { ticket: await hub.queue.getTicket(req.principal!.hallId, ref) } };
const rebuildCounter: RebuildReply = async (hub, req) => ({
  status: 200,
  body: await hub.queue.counterView(hub.db, req.principal!.hallId, (req.params as { id: number }).id),
});
import { KioskPace } from './kiosk-pace.js';

/** Lets a client send no body at all where every field is optional. */
const emptyBodyAsObject = async (req: FastifyRequest) => {
  req.body ??= {};
};

export async function queueRoutes(app: App, { hub }: { hub: Hub }) {
  const pace = new KioskPace(hub);
  app.post(
    '/tickets',
    {
      schema: { tags: ['queue'], headers: IdempotencyHeaders, body: IssueTicketBody, response: { 201: IssuedTicket, ...errorResponses } },
      preHandler: guard(access.issueTicket),
      config: { idempotent: rebuildIssued },
    },
    async (req, reply) => {
      const device = deviceOf(req);
      if (device) await pace.take(device);
      const ticket = await hub.queue.issue(req.principal!.hallId, req.body.serviceId, req.body.priority ?? false, device?.device.id ?? null);
      return reply.code(201).send(ticket);
    },
  );

  // Open: the QR code printed on a ticket leads here so a citizen can follow the queue on a phone.
  app.get('/tickets/:id', { schema: { tags: ['queue'], params: IdParams, response: { 200: Ticket, ...errorResponses } } }, async (req) =>
    hub.queue.getTicket(req.principal?.hallId ?? null, req.params.id),
  );

  const staff = guard(access.staff);
  const actor = (req: Parameters<typeof userOf>[0]) => {
    const u = userOf(req);
    return { hallId: u.hallId, userId: u.user.id };
  };
  const counterSchema = { tags: ['counter'], headers: IdempotencyHeaders, params: IdParams, response: { 200: Counter, ...errorResponses } };
  const ticketSchema = { tags: ['counter'], headers: IdempotencyHeaders, params: IdParams, response: { 200: CounterActionReply, ...errorResponses } };
  const counterIdem = { idempotent: rebuildCounter };
  const ticketIdem = { idempotent: rebuildTicket };

  app.post('/counters/:id/open', { schema: counterSchema, preHandler: staff, config: counterIdem }, async (req) => hub.queue.open(actor(req), req.params.id));
  app.post('/counters/:id/pause', { schema: counterSchema, preHandler: staff, config: counterIdem }, async (req) => hub.queue.pause(actor(req), req.params.id, true));
  app.post('/counters/:id/resume', { schema: counterSchema, preHandler: staff, config: counterIdem }, async (req) => hub.queue.pause(actor(req), req.params.id, false));
  app.post('/counters/:id/close', { schema: counterSchema, preHandler: staff, config: counterIdem }, async (req) => hub.queue.close(actor(req), req.params.id));

  app.post(
    '/counters/:id/next',
    { schema: { ...ticketSchema, response: { ...ticketSchema.response, 204: Type.Null() } }, preHandler: staff, config: ticketIdem },
    async (req, reply) => {
      const ticket = await hub.queue.next(actor(req), req.params.id);
      return ticket ? { ticket } : reply.code(204).send(null);
    },
  );
  app.post('/counters/:id/call', { schema: { ...ticketSchema, body: CallTicketBody }, preHandler: staff, config: ticketIdem }, async (req) => ({
    ticket: await hub.queue.callSpecific(actor(req), req.params.id, req.body.ticketId),
  }));
  app.post('/counters/:id/recall', { schema: ticketSchema, preHandler: staff, config: ticketIdem }, async (req) => ({ ticket: await hub.queue.recall(actor(req), req.params.id) }));
  app.post('/counters/:id/serve', { schema: ticketSchema, preHandler: staff, config: ticketIdem }, async (req) => ({ ticket: await hub.queue.serve(actor(req), req.params.id) }));
  app.post('/counters/:id/done', { schema: ticketSchema, preHandler: staff, config: ticketIdem }, async (req) => ({ ticket: await hub.queue.done(actor(req), req.params.id) }));
  app.post('/counters/:id/no-show', { schema: { ...ticketSchema, body: NoShowBody }, preValidation: emptyBodyAsObject, preHandler: staff, config: ticketIdem }, async (req) => ({
    ticket: await hub.queue.noShow(actor(req), req.params.id, req.body.requeue ?? false),
  }));
  app.post('/counters/:id/transfer', { schema: { ...ticketSchema, body: TransferBody }, preHandler: staff, config: ticketIdem }, async (req) => ({
    ticket: await hub.queue.transfer(actor(req), req.params.id, req.body.serviceId, req.body.counterId ?? null),
  }));

  app.get(
    '/counters/:id/queue',
    { schema: { tags: ['counter'], params: IdParams, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }), response: { 200: CounterQueue, ...errorResponses } }, preHandler: staff },
    async (req) => hub.queue.counterQueue(req.principal!.hallId, req.params.id, req.query.limit ?? 200),
  );
}
