import { HardwareHealthReply, errorResponses } from '../../protocol/index.js';
import { access } from '../auth/access.js';
import { type App } from '../context.js';
import { guard } from '../auth/auth.plugin.js';
import type { HealthService } from './health.service.js';

export async function healthRoutes(app: App, health: HealthService) {
  app.get(
    '/hardware/health',
    {
      schema: { tags: ['devices'], summary: "Health of the hub's own hardware drivers (voice engine, LED displays, keypads)", response: { 200: HardwareHealthReply, ...errorResponses } },
      preHandler: guard(access.managers),
    },
    async (req) => health.hardware(req.principal!.hallId),
  );
}
