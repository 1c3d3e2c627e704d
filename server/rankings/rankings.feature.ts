import type { Feature, FeatureContext } from '../features.js';
import { RankingsService } from './rankings.service.js';
import { rankingsRoutes } from './rankings.routes.js';

/** Published rankings: `GET /api/v1/rankings` and `/rankings.csv` (public). */
export function rankingsFeature({ hub }: FeatureContext): Feature {
  const rankings = new RankingsService(hub.db);
  return { name: 'rankings', routes: (api) => rankingsRoutes(api, rankings) };
}
