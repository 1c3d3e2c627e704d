import type { Feature, FeatureContext } from '../features.js';
import { IntegrationsService } from './integrations.service.js';
import { integrationsRoutes } from './integrations.routes.js';

/** Outside systems' API keys: `POST/GET /api/v1/integrations`, `DELETE /api/v1/integrations/:id`. */
export function integrationsFeature({ hub }: FeatureContext): Feature {
  const integrations = new IntegrationsService(hub.db, hub.config.webhookAllowHosts);
  return {
    name: 'integrations',
    routes: (api) => integrationsRoutes(api, integrations),
  };
}
