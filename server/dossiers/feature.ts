/** The dossiers feature: routes, the outbox worker (webhooks, notices), and the upkeep of the lookup limiter and of old eventIds. */
import type { Feature } from '../features.js';
import type { Hub } from '../context.js';
import { DossiersService } from './dossiers.service.js';
import { dossiersRoutes, type DossierDeps } from './dossiers.routes.js';
import { OutboxWorker } from './outbox.worker.js';
import { LookupLimiter } from './lookup-limit.js';
import { IntegrationsService } from '../integrations/integrations.service.js';

const PRUNE_EVERY_MS = 10 * 60_000;

export function dossiersFeature(): Feature {
  let deps: DossierDeps | null = null;
  let worker: OutboxWorker | null = null;
  let prune: NodeJS.Timeout | null = null;

  const depsOf = (hub: Hub): DossierDeps =>
    (deps ??= {
      dossiers: new DossiersService(hub.db, hub.bus, hub.config, hub.log, () => worker?.kick()),
      integrations: new IntegrationsService(hub.db),
      limiter: new LookupLimiter(hub.db, hub.config),
    });

  return {
    name: 'dossiers',
    async routes(api, hub) {
      await dossiersRoutes(api, depsOf(hub));
    },
    start(hub) {
      const d = depsOf(hub);
      worker = new OutboxWorker(hub.db, hub.config, hub.log);
      worker.start();
      prune = setInterval(() => {
        d.limiter.prune().catch((err: unknown) => hub.log.warn({ err }, 'lookup limiter prune failed'));
        d.dossiers.pruneRequests().catch((err: unknown) => hub.log.warn({ err }, 'dossier request prune failed'));
      }, PRUNE_EVERY_MS);
      prune.unref();
    },
    async stop() {
      if (prune) clearInterval(prune);
      prune = null;
      await worker?.stop();
      worker = null;
    },
  };
}
