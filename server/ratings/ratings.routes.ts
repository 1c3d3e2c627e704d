import { CreateRatingBody, Rating, TabletState, errorResponses } from '../../protocol/index.js';
import type { App } from '../context.js';
import { guard } from '../auth/auth.plugin.js';
import { forbidden } from '../errors.js';
import type { Access, DevicePrincipal } from '../auth/principal.js';
import type { FastifyRequest } from 'fastify';
import type { RatingsService, TabletActor } from './ratings.service.js';

/** Only rating tablets rate; staff never see individual ratings. */
export const tabletAccess = { devices: ['tablet'] } as const satisfies Access;

function tabletOf(req: FastifyRequest): TabletActor {
  const p = req.principal;
  if (p?.type !== 'device') throw forbidden('Chỉ máy tính bảng đánh giá mới được làm việc này');
  const d: DevicePrincipal = p;
  return { hallId: d.hallId, deviceId: d.device.id, counterId: d.device.counterId };
}

export async function ratingsRoutes(app: App, ratings: RatingsService) {
  app.post(
    '/ratings',
    {
      schema: { tags: ['ratings'], summary: "A citizen's rating of a served ticket (the counter's tablet)", body: CreateRatingBody, response: { 201: Rating, ...errorResponses } },
      preHandler: guard(tabletAccess),
    },
    async (req, reply) => {
      const { rating, replay } = await ratings.rate(tabletOf(req), req.body);
      // A replay answers exactly as the first delivery did.
      if (replay) reply.header('idempotent-replay', 'true');
      return reply.code(201).send(rating);
    },
  );

  app.get(
    '/ratings/tablet',
    { schema: { tags: ['ratings'], summary: "The tablet's screen state", response: { 200: TabletState, ...errorResponses } }, preHandler: guard(tabletAccess) },
    async (req) => ratings.tabletState(tabletOf(req)),
  );
}
