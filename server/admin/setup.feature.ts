import type { Feature, FeatureContext } from '../features.js';
import { setupRoutes } from './setup.routes.js';

/** The hall's set-up (hall, departments, services, counters, staff accounts): the admin routes. */
export function setupFeature({ hub }: FeatureContext): Feature {
  return { name: 'setup', routes: (api) => setupRoutes(api, { hub }) };
}
