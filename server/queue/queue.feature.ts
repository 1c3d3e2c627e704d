import type { Feature, FeatureContext } from '../features.js';
import { queueRoutes } from './queue.routes.js';

/** The queue: tickets issued, called, served; counters opened and paused. Its events reach screens through the realtime feature. */
export function queueFeature({ hub }: FeatureContext): Feature {
  return {
    name: 'queue',
    routes: (api) => queueRoutes(api, { hub }),
    stop: () => hub.queue.stop(),
  };
}
