import type { Feature } from '../features.js';
import { RankingsService } from './rankings.service.js';
import { rankingsRoutes } from './rankings.routes.js';

/** Published rankings: `GET /api/v1/rankings` and `/rankings.csv` (public). */
export function rankingsFeature(): Feature {
  return {
    name: 'rankings',
    async routes(api, hub) {
      await rankingsRoutes(api, new RankingsService(hub.db));
    },
  };
}
