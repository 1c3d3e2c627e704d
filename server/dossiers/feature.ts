/** The dossiers feature: routes, the outbox worker (webhooks, notices), and the upkeep of the lookup limiter and of old eventIds. */
import type { Feature, FeatureContext } from '../features.js';
import { DossiersService } from './dossiers.service.js';
import { dossiersRoutes } from './dossiers.routes.js';
import { OutboxWorker } from './outbox.worker.js';
import { LookupLimiter } from './lookup-limit.js';
import { IntegrationsService } from '../integrations/integrations.service.js';

const PRUNE_EVERY_MS = 10 * 60_000;

export function dossiersFeature({ hub }: FeatureContext): Feature {
  const worker = new OutboxWorker(hub.db, hub.config, hub.log);
  const dossiers = new DossiersService(hub.db, hub.bus, hub.config, hub.log, () => worker.kick());
  const limiter = new LookupLimiter(hub.db, hub.config);
  const integrations = new IntegrationsService(hub.db, hub.config.webhookAllowHosts);
  let prune: NodeJS.Timeout | null = null;

  return {
    name: 'dossiers',
    routes: (api) => dossiersRoutes(api, { dossiers, integrations, limiter }),
    start() {
      worker.start();
      prune = setInterval(() => {
        limiter.prune().catch((err: unknown) => hub.log.warn({ err }, 'lookup limiter prune failed'));
        dossiers.pruneRequests().catch((err: unknown) => hub.log.warn({ err }, 'dossier request prune failed'));
      }, PRUNE_EVERY_MS);
      prune.unref();
    },
    async stop() {
      if (prune) clearInterval(prune);
      prune = null;
      await worker.stop();
    },
  };
}
