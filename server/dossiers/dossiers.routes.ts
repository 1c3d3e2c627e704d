/** HTTP routes of dossiers, the procedure catalogue, holidays and outside systems' keys (thin: checks who asks, calls the services). */
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CreateDossierBody,
  CreateHolidayBody,
  CreateProcedureBody,
  DossierCodeParams,
  DossierDetail,
  DossierEventBody,
  DossierList,
  DossierListQuery,
  DossierStats,
  DossierStatsQuery,
  FormParams,
  HandoverBody,
  HandoverDoneBody,
  HandoverParams,
  LookupQuery,
  RegisterQuery,
  Holiday,
  HolidayListQuery,
  IdParams,
  LoadHolidaysBody,
  Procedure,
  ProcedureListQuery,
  PublicDossier,
  UpdateProcedureBody,
  errorResponses,
} from '../../protocol/index.js';
import { access } from '../auth/access.js';
import { type App } from '../context.js';
import { assertAccess, guard, userOf, type Guard } from '../auth/auth.plugin.js';
import { HubError, badRequest } from '../errors.js';
import { API_KEY_HEADER, type IntegrationPrincipal, type IntegrationsService } from '../integrations/integrations.service.js';
import type { DossierActor, DossiersService } from './dossiers.service.js';
import { RateLimited, type LookupLimiter, type LookupSubject } from './lookup-limit.js';

export interface DossierDeps {
  dossiers: DossiersService;
  integrations: IntegrationsService;
  limiter: LookupLimiter;
}

const responses = { ...errorResponses, 413: errorResponses[400], 429: errorResponses[400] };

export async function dossiersRoutes(app: App, deps: DossierDeps): Promise<void> {
  const { dossiers, integrations, limiter } = deps;
  const keyOf = new WeakMap<FastifyRequest, IntegrationPrincipal>();

  const invalidKey = () => new HubError(401, 'invalid_api_key', 'Khóa tích hợp (X-Api-Key) không hợp lệ hoặc đã bị thu hồi / unknown or revoked API key');

  /** Resolves `X-Api-Key` when present: the outside system, or 401 for an unknown key. */
  const readKey = async (req: FastifyRequest): Promise<IntegrationPrincipal | null> => {
    const header = req.headers[API_KEY_HEADER];
    if (header === undefined) return null;
    const key = typeof header === 'string' ? await integrations.authenticate(header.trim()) : null;
    if (!key) throw invalidKey();
    keyOf.set(req, key);
    return key;
  };

  /**
   * Staff signed in, or an outside system with its key. Carries `access.staff` like guard() does, so the hub runs it
   * before body validation and lists the route with its rule.
   */
  const staffOrKey: Guard = Object.assign(
    async (req: FastifyRequest) => {
      if (await readKey(req)) return;
      assertAccess(req.principal, access.staff);
      userOf(req);
    },
    { access: access.staff },
  );

  const actorOf = (req: FastifyRequest): DossierActor => {
    const key = keyOf.get(req);
    if (key) return { kind: 'integration', hallId: key.hallId, keyId: key.keyId, name: key.name };
    const u = userOf(req);
    return { kind: 'staff', hallId: u.hallId, userId: u.user.id, name: u.user.name };
  };

  const requireEventIdForKeys = (req: FastifyRequest, eventId: string | undefined) => {
    if (keyOf.has(req) && !eventId) throw badRequest('Hệ thống tích hợp phải gửi eventId (mã sự kiện duy nhất) với mỗi yêu cầu', 'event_id_required');
  };

  const readSetup = guard(access.readSetup);
  const admin = guard(access.admin);
  const staff = guard(access.staff);
  const managers = guard(access.managers);

  // ---- procedures ----
  app.get(
    '/procedures',
    { schema: { tags: ['dossiers'], querystring: ProcedureListQuery, response: { 200: Type.Array(Procedure), ...errorResponses } }, preHandler: readSetup },
    async (req) => dossiers.procedures(req.principal!.hallId, req.query.active ?? null),
  );
  app.post(
    '/procedures',
    { schema: { tags: ['dossiers'], body: CreateProcedureBody, response: { 201: Procedure, ...errorResponses } }, preHandler: admin },
    async (req, reply) => reply.code(201).send(await dossiers.createProcedure(req.principal!.hallId, req.body)),
  );
  app.patch(
    '/procedures/:id',
    {
      schema: {
        tags: ['dossiers'],
        description: 'Changes a procedure (admin); `active: false` stops new dossiers of it. Dossiers already received keep their due dates.',
        params: IdParams,
        body: UpdateProcedureBody,
        response: { 200: Procedure, ...errorResponses },
      },
      preHandler: admin,
    },
    async (req) => dossiers.updateProcedure(req.principal!.hallId, req.params.id, req.body),
  );

  // ---- holidays ----
  app.get(
    '/holidays',
    { schema: { tags: ['dossiers'], querystring: HolidayListQuery, response: { 200: Type.Array(Holiday), ...errorResponses } }, preHandler: staff },
    async (req) => dossiers.holidays(req.principal!.hallId, req.query.year ?? null),
  );
  app.post(
    '/holidays',
    { schema: { tags: ['dossiers'], body: CreateHolidayBody, response: { 201: Holiday, ...errorResponses } }, preHandler: admin },
    async (req, reply) => reply.code(201).send(await dossiers.createHoliday(req.principal!.hallId, req.body)),
  );
  app.post(
    '/holidays/defaults',
    {
      schema: { tags: ['dossiers'], body: LoadHolidaysBody, response: { 200: Type.Object({ added: Type.Integer() }), ...errorResponses } },
      preHandler: admin,
    },
    async (req) => dossiers.loadDefaultHolidays(req.principal!.hallId, req.body.years),
  );
  app.delete(
    '/holidays/:id',
    { schema: { tags: ['dossiers'], params: IdParams, response: { 204: Type.Null(), ...errorResponses } }, preHandler: admin },
    async (req, reply) => {
      await dossiers.deleteHoliday(req.principal!.hallId, req.params.id);
      return reply.code(204).send(null);
    },
  );

  // ---- the lookup kiosk ----
  app.get(
    '/lookup/prefix',
    {
      schema: {
        tags: ['dossiers'],
        summary: "The hall's dossier code prefix and today's date part, so a lookup kiosk fills them in",
        response: { 200: Type.Object({ agencyId: Type.String(), today: Type.String({ description: 'YYMMDD, the hall day' }) }), ...errorResponses },
      },
      preHandler: readSetup,
    },
    async (req) => dossiers.codePrefix(req.principal!.hallId),
  );

  // ---- dossiers ----
  app.post(
    '/dossiers',
    {
      schema: {
        tags: ['dossiers'],
        description: 'Receives a dossier (staff at the counter they opened, or an outside system with X-Api-Key and an eventId); prints the receipt.',
        body: CreateDossierBody,
        response: { 200: DossierDetail, 201: DossierDetail, ...responses },
      },
      preHandler: staffOrKey,
    },
    async (req, reply) => {
      requireEventIdForKeys(req, req.body.eventId);
      const answer = await dossiers.receive(actorOf(req), req.body);
      if (answer.replay) reply.header('idempotent-replay', 'true');
      return reply.code(answer.status).send(answer.body);
    },
  );

  app.get(
    '/dossiers',
    { schema: { tags: ['dossiers'], querystring: DossierListQuery, response: { 200: DossierList, ...errorResponses } }, preHandler: staff },
    async (req) => dossiers.list(req.principal!.hallId, req.query),
  );

  app.get(
    '/dossiers/stats',
    { schema: { tags: ['dossiers'], querystring: DossierStatsQuery, response: { 200: DossierStats, ...errorResponses } }, preHandler: managers },
    async (req) => dossiers.stats(req.principal!.hallId, req.query.from, req.query.to),
  );

  // Open to the lookup kiosk and the public; limited per IP (and per lookup device) so codes cannot be enumerated.
  app.get(
    '/dossiers/:code',
    {
      schema: {
        tags: ['dossiers'],
        description:
          'Status of a dossier by its code (public). Never the identity number, address, phone or e-mail; with the receipt\'s `key` also the masked name and the notes for the citizen. ' +
          'A wrong key gives the same answer as no key and counts as a miss. 404 unknown, 400 malformed, 429 rate-limited.',
        params: DossierCodeParams,
        querystring: LookupQuery,
        response: { 200: PublicDossier, ...responses },
      },
    },
    async (req, reply) => {
      const apiKey = await readKey(req);
      const p = req.principal;
      const lookupKey = req.query.key || null;
      // Lookup kiosks have their own (higher) limits; any other device is limited by its address like the public.
      const subject: LookupSubject | null =
        apiKey || p?.type === 'user' ? null : p?.type === 'device' && p.device.kind === 'lookup' ? { kind: 'device', deviceId: p.device.id } : { kind: 'ip', ip: req.ip };
      const hallId = apiKey?.hallId ?? p?.hallId ?? null;
      if (!subject) return (await dossiers.lookup(req.params.code, hallId, lookupKey)).dossier;
      // A miss is reserved before the lookup (one atomic count) and given back on a hit: a burst cannot pass the limit.
      const [reserved, found] = await Promise.allSettled([limited(reply, () => limiter.check(subject)), dossiers.lookup(req.params.code, hallId, lookupKey)]);
      if (reserved.status === 'rejected') throw reserved.reason;
      if (found.status === 'fulfilled') {
        if (!found.value.wrongKey) await limiter.hit(subject);
        return found.value.dossier;
      }
      if (!(found.reason instanceof HubError && found.reason.statusCode === 404)) await limiter.hit(subject);
      throw found.reason;
    },
  );

  app.get(
    '/dossiers/:code/detail',
    { schema: { tags: ['dossiers'], params: DossierCodeParams, response: { 200: DossierDetail, ...errorResponses } }, preHandler: staffOrKey },
    async (req) => dossiers.detail(req.params.code, actorOf(req).hallId),
  );

  app.get(
    '/dossiers/register.pdf',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'The register (Mẫu 07, sổ theo dõi hồ sơ) of a period, as PDF',
        description: 'Dossiers received from `from` to `to` (hall days, inclusive; at most a year), A4 landscape.',
        querystring: RegisterQuery,
        produces: ['application/pdf'],
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'application/pdf' }), ...errorResponses },
      },
      preHandler: staff,
    },
    async (req, reply) => {
      const pdf = await dossiers.register(req.principal!.hallId, req.query.from, req.query.to);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="so-theo-doi-ho-so-${req.query.from}-${req.query.to}.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );

  app.get(
    '/dossiers/:code/forms/:form',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'A form of Thông tư 03/2025/TT-VPCP for a dossier, as PDF',
        description: '01 receipt (A5), 02 supplement request, 03 refusal, 04 apology and extension, 05 stop notice, 06 processing control sheet. 409 when the form does not apply to the dossier.',
        params: FormParams,
        produces: ['application/pdf'],
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'application/pdf' }), ...errorResponses },
      },
      preHandler: staffOrKey,
    },
    async (req, reply) => {
      const pdf = await dossiers.form(actorOf(req).hallId, req.params.code, req.params.form);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="mau-${req.params.form}-${encodeURIComponent(req.params.code)}.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );

  app.post(
    '/dossiers/:code/handovers',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Hands a dossier over to another department (chuyển xử lý), with the step\'s deadline',
        params: DossierCodeParams,
        body: HandoverBody,
        response: { 201: DossierDetail, ...errorResponses },
      },
      preHandler: staffOrKey,
    },
    async (req, reply) => reply.code(201).send(await dossiers.handover(actorOf(req), req.params.code, req.body)),
  );

  app.post(
    '/dossiers/:code/handovers/:id/done',
    {
      schema: {
        tags: ['dossiers'],
        summary: "Records a hand-over step's outcome",
        params: HandoverParams,
        body: HandoverDoneBody,
        response: { 200: DossierDetail, ...errorResponses },
      },
      preHandler: staffOrKey,
    },
    async (req) => dossiers.completeHandover(actorOf(req), req.params.code, req.params.id, req.body.outcome),
  );

  app.post(
    '/dossiers/:code/events',
    {
      schema: {
        tags: ['dossiers'],
        description: 'Moves a dossier to a new status (staff, or an outside system with X-Api-Key and an eventId); 409 for a move the status machine does not allow.',
        params: DossierCodeParams,
        body: DossierEventBody,
        response: { 200: DossierDetail, ...responses },
      },
      preHandler: staffOrKey,
    },
    async (req, reply) => {
      requireEventIdForKeys(req, req.body.eventId);
      const answer = await dossiers.addEvent(actorOf(req), req.params.code, req.body);
      if (answer.replay) reply.header('idempotent-replay', 'true');
      return reply.code(answer.status).send(answer.body);
    },
  );
}

/** Runs a limiter check; on 429 adds Retry-After before the error answer goes out. */
async function limited(reply: FastifyReply, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (err) {
    if (err instanceof RateLimited) reply.header('retry-after', String(Math.max(1, err.retryAfterSeconds)));
    throw err;
  }
}
