import type { Feature, FeatureContext } from '../features.js';
import { auditRoutes } from './audit.routes.js';

/** The audit log: its route; HTTP changes are recorded by an onResponse hook, audited socket commands by the wiring. */
export function auditFeature({ hub }: FeatureContext): Feature {
  return {
    name: 'audit',
    routes: (api) => auditRoutes(api, hub),
    stop: () => hub.audit.stop(),
  };
}
